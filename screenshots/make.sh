#!/usr/bin/env bash
# Regenerates the README's screenshots from the real binary: tmux runs
# auth0-explorer against a sandbox tenant, capture-pane takes the screen with
# its colours, and charmbracelet/freeze turns each capture into a PNG. The
# headless commands run in a shell; the terminal UI runs on its own at
# 120x36. Every sandbox is seeded, at a fixed address, with its clock frozen
# at $now (the hidden --seed, --addr/--sandbox-addr and --now flags), the
# commands check tokens and measure exchanges on that clock, and the time
# zone is UTC, so two runs give byte-identical PNGs. Run through
# `make screenshots`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/bin
out=$root/screenshots
work=$(mktemp -d)
session=a0x-shots-$$
tui=a0x-shots-tui-$$
port=18717
tuiport=18718
shownport=18719 # the sandbox command's own picture
# The clock of every sandbox and command: tokens are minted and checked at
# this instant, and an exchange takes no time on it (0s).
now=2026-01-15T09:30:00Z
export TZ=UTC
trap 'tmux kill-session -t "$session" 2>/dev/null || true; tmux kill-session -t "$tui" 2>/dev/null || true; kill "${sbx:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux; }
command -v pngquant >/dev/null || apt-get install -y -qq pngquant >/dev/null 2>&1 || true
[ -x "$bin/freeze" ] || GOBIN=$bin go install github.com/charmbracelet/freeze@v0.2.2
make -s build
# freeze draws only part of SGR (no reverse video, no default colours);
# sgr.go rewrites each capture into what it draws.
go build -o "$work/sgr" screenshots/sgr.go

# A deterministic sandbox tenant (fixed key and credentials, frozen clock),
# on its own.
mkdir -m 700 "$work/config"
"$bin/auth0-explorer" sandbox --seed 1 --addr 127.0.0.1:$port --now $now >"$work/sandbox.txt" &
sbx=$!
for _ in $(seq 200); do grep -q Ctrl+C "$work/sandbox.txt" 2>/dev/null && break; sleep 0.05; done
base=http://127.0.0.1:$port
cid=$(awk '/client id/ {print $3; exit}' "$work/sandbox.txt")
secret=$(awk '/client secret/ {print $3; exit}' "$work/sandbox.txt")

# The shell in tmux talks to the sandbox through the environment, and never
# sees the user's own profiles.
tmux new-session -d -s "$session" -x 112 -y 62 \
  "env PS1='$ ' PATH=$bin:$PATH TZ=UTC AUTH0_EXPLORER_CONFIG=$work/config AUTH0_DOMAIN=$base AUTH0_CLIENT_ID=$cid AUTH0_CLIENT_SECRET=$secret TERM=xterm-256color bash --norc --noprofile"

# idle: the last non-empty line on screen is a bare prompt.
idle() { [ "$(tmux capture-pane -p -t "$session" | awk 'NF' | tail -n 1 | tr -d ' ')" = '$' ]; }
# run COMMAND: type it and wait until the shell prompts again.
run() {
  tmux send-keys -t "$session" "$1" Enter
  sleep 0.1
  for _ in $(seq 400); do
    idle && return 0
    sleep 0.05
  done
  echo "screenshots: timed out on: $1" >&2
  return 1
}
# shot NAME COMMAND: a clean screen, the command and its output, as a PNG.
shot() {
  tmux send-keys -t "$session" "clear" Enter
  tmux clear-history -t "$session"
  sleep 0.2
  run "$2"
  tmux capture-pane -p -e -t "$session" | trim >"$work/$1.ansi"
  render "$1"
}
# trim drops leading and trailing blank lines and the idle prompt at the end.
trim() { awk 'NF {p=1} p' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | sed -e '${/^\$ *$/d;}'; }
# render NAME [light]: the capture as a PNG, quantised (terminal colours
# are few); light draws it on a white terminal.
render() {
  local fg='#C4C4C4' bg='#171717' extra=()
  if [ "${2:-}" = light ]; then
    fg='#1F2328' bg='#FFFFFF' extra=(--border.width 1 --border.color '#D0D7DE')
  fi
  "$work/sgr" -fg "$fg" -bg "$bg" <"$work/$1.ansi" >"$work/$1.freeze"
  # An empty PATH keeps freeze on its own renderer and font (it prefers an
  # rsvg-convert it finds, which draws with the system's fonts).
  PATH= "$bin/freeze" -l ansi --window --padding 20,24 --margin 0 --font.size 14 --background "$bg" "${extra[@]}" "$work/$1.freeze" -o "$out/$1.png" >/dev/null
  if command -v pngquant >/dev/null; then pngquant --quality 60-90 --speed 1 --force --output "$out/$1.png" "$out/$1.png"; fi
  echo "screenshots/$1.png"
}

# call and token check the id_token as of $now, the sandbox's frozen
# clock, through their hidden --now; the pictures show the commands as a
# person types them.
run "auth0-explorer() { case \$1 in call|token) command auth0-explorer \"\$@\" --now $now ;; *) command auth0-explorer \"\$@\" ;; esac; }"

# The sandbox command itself, captured while it serves, then stopped.
tmux send-keys -t "$session" "clear" Enter
sleep 0.2
tmux send-keys -t "$session" "auth0-explorer sandbox --seed 1 --addr 127.0.0.1:$shownport" Enter
for _ in $(seq 200); do tmux capture-pane -p -t "$session" | grep -q Ctrl+C && break; sleep 0.05; done
tmux capture-pane -p -e -t "$session" | trim >"$work/sandbox.ansi"
render sandbox
tmux send-keys -t "$session" C-c
for _ in $(seq 200); do idle && break; sleep 0.05; done
shot operations "auth0-explorer operations"
shot call "auth0-explorer call passwordGrant username=jane@example.com password='Passw0rd!' scope='openid profile email'"
run "export ID_TOKEN=\$(auth0-explorer call passwordGrant username=jane@example.com password='Passw0rd!' scope='openid profile email' | sed -n 's/.*\"id_token\": \"\\([^\"]*\\)\".*/\\1/p')"
shot token 'auth0-explorer token "$ID_TOKEN"'
shot curl "auth0-explorer call requestMagicLink email=jane@example.com authParams:='{\"scope\":\"openid\",\"redirect_uri\":\"https://app.example.com/cb\"}' --output curl"

# An id_token of the headless sandbox, and the same token with a piece of
# its payload lost (as in a copy from a wrapped terminal line), for the
# token inspector.
idt=$(AUTH0_EXPLORER_CONFIG=$work/config AUTH0_DOMAIN=$base AUTH0_CLIENT_ID=$cid AUTH0_CLIENT_SECRET=$secret \
  "$bin/auth0-explorer" call passwordGrant username=jane@example.com password='Passw0rd!' scope='openid profile email' --now $now |
  sed -n 's/.*"id_token": "\([^"]*\)".*/\1/p')
IFS=. read -r idt_h idt_p idt_s <<<"$idt"
broken=$idt_h.${idt_p:0:300}.$idt_s

# Saved profiles for the tenant picker, written after the headless pictures
# (which use the environment's tenant): "staging" is the terminal UI's own
# sandbox (seed 1 at $tuiport: its client), "dev" a loopback port where
# nothing listens. The file is written directly, so no system keyring is
# touched.
cat >"$work/config/profiles.json" <<JSON
{
  "version": 1,
  "default": "staging",
  "profiles": {
    "dev": {
      "domain": "http://127.0.0.1:18720",
      "client_id": "devClientIdForTheScreenshots0000"
    },
    "staging": {
      "domain": "http://127.0.0.1:$tuiport",
      "client_id": "$cid",
      "client_secret": "$secret"
    }
  }
}
JSON
chmod 600 "$work/config/profiles.json"

# The terminal UI. tui_start THEME: the program alone in a 120x36 tmux
# window, on sandbox seed 1 at a fixed port with the clock frozen at $now,
# with a history of its own (a form opens with the values last sent from
# it, so a shared history would fill the next start's forms).
starts=0
tui_start() {
  tui_stop
  starts=$((starts + 1))
  tmux new-session -d -s "$tui" -x 120 -y 36 \
    "env AUTH0_EXPLORER_CONFIG=$work/config AUTH0_EXPLORER_STATE=$work/state-$starts AUTH0_EXPLORER_THEME=$1 TZ=UTC TERM=xterm-256color COLORTERM=truecolor $bin/auth0-explorer --seed 1 --sandbox-addr 127.0.0.1:$tuiport --now $now"
  tui_wait passwordGrant
}
# tui_stop: quit the program and wait until it is gone (its sandbox's port
# is free again for the next start).
tui_stop() {
  tmux has-session -t "$tui" 2>/dev/null || return 0
  tmux send-keys -t "$tui" C-c
  for _ in $(seq 100); do
    tmux has-session -t "$tui" 2>/dev/null || return 0
    sleep 0.05
  done
  tmux kill-session -t "$tui" 2>/dev/null || true
}
# tui_wait TEXT...: until every TEXT is on screen (10 s at most).
tui_wait() {
  local screen t
  for _ in $(seq 200); do
    screen=$(tmux capture-pane -p -t "$tui")
    for t in "$@"; do
      [[ $screen == *"$t"* ]] || { sleep 0.05; continue 2; }
    done
    return 0
  done
  echo "screenshots: the terminal UI never showed: $*" >&2
  tmux capture-pane -p -t "$tui" >&2
  return 1
}
# tui_keys KEYS...: tmux send-keys to the program (-l: literal text).
tui_keys() { tmux send-keys -t "$tui" "$@"; }
# tui_capture: the screen with its colours, a running flow's spinner
# (bubbles' MiniDot, which turns on the wall clock) held still as a dotted
# circle: freeze's font has no braille. (Alternatives, not classes: a
# bracket expression would split the characters under LC_ALL=C.)
tui_capture() { tmux capture-pane -p -e -t "$tui" | sed -E 's/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/◌/g'; }
# tui_shot NAME [light]: once the screen holds still (two captures 0.2 s
# apart agree), as a PNG.
tui_shot() {
  local a b
  a=$(tui_capture)
  for _ in $(seq 50); do
    sleep 0.2
    b=$(tui_capture)
    [ "$a" = "$b" ] && break
    a=$b
  done
  printf '%s\n' "$b" >"$work/$1.ansi"
  render "$1" "${2:-}"
}
# tui_paste TEXT: TEXT as the terminal pastes it (bracketed).
tui_paste() {
  tmux set-buffer -b a0x-shots -- "$1"
  tmux paste-buffer -p -d -b a0x-shots -t "$tui"
}
# tui_down_to NAME: move down the operation list until NAME is selected.
tui_down_to() {
  for _ in $(seq 60); do
    tmux capture-pane -p -t "$tui" | grep -q "▸ $1 " && return 0
    tui_keys Down
    sleep 0.05
  done
  echo "screenshots: could not select $1" >&2
  return 1
}
# tui_fill: open passwordGrant (the first operation: the whole list stays
# in the picture) and fill its form.
tui_fill() {
  tui_keys Enter
  tui_wait 'next field'
  tui_keys -l jane@example.com
  tui_wait '* jane@example.com'
  tui_keys Enter
  tui_keys -l 'Passw0rd!'
  tui_wait '* ••••••••• ' # nine, no more
  tui_keys Enter Enter # past realm, to scope
  tui_keys -l 'openid profile email'
  tui_wait 'openid profile email' 'ready: ctrl+s sends'
  # On to audience: the cursor block rests on an empty field (freeze
  # draws backgrounds a little left of the text, and it would hide the
  # last letter of the scope).
  tui_keys Enter
  tui_wait 'identifier of the API'
}

# The sign-in walk, in order: tui-walk-1 (the operations filtered with /),
# tui-hero (the form filled), tui-body (the answer), tui-tokens (the
# id_token verified); then the help. The filter has a start of its own, so
# that the hero shows the whole list.
tui_start dark
tui_keys /
tui_keys -l password
tui_wait '/password' 'Passwordless' 'fill the required fields'
tui_shot tui-walk-1
tui_start dark
tui_fill
tui_shot tui-hero
tui_keys C-s
tui_wait '200 OK' 'Tokens (2)'
tui_shot tui-body
tui_keys 4
tui_wait 'VALID'
tui_shot tui-tokens
tui_keys '?'
tui_wait 'Keys  (? or esc closes)'
tui_shot tui-help

# The token inspector on a token with a piece of its payload lost: which
# segment broke, and the header that still decodes.
tui_start dark
tui_keys t
tui_wait 'paste a token here'
tui_paste "$broken"
tui_wait 'MALFORMED' 'Payload'
tui_shot tui-inspector

# An error: client credentials with no audience, where the tenant names
# none; the 403 as one sentence with what to set.
tui_start dark
tui_down_to clientCredentialsGrant
tui_keys Enter
tui_wait 'ready: ctrl+s sends'
tui_keys C-s
tui_wait '403 Forbidden' 'Default Audience'
tui_shot tui-error

# The sandbox outbox after a passwordless email (a magic link).
tui_start dark
tui_down_to requestMagicLink
tui_keys Enter
tui_wait 'fill the required fields'
tui_keys -l jane@example.com
tui_wait '* jane@example.com'
tui_keys C-s
tui_wait '200 OK'
tui_keys o
tui_wait 'magic link' 'follow the link'
tui_shot tui-outbox

# The tenant picker, then the check of the saved "staging" profile.
tui_start dark
tui_keys p
tui_wait 'LAST USED' 'staging' 'dev'
tui_shot tui-tenants
tui_keys Down Down
tui_keys c
tui_wait 'Check of staging' 'client credentials' 'audience'
tui_shot tui-tenant-check

# The device flow (f, Device login) waiting for its approval: the user
# code, the verification URL, the countdown (fixed: the clock is frozen)
# and the QR code, which fits beside them at 120x36 without the zoom. The
# polling sleeps on the wall clock, so the picture is taken before the
# first poll (5 s after the code), and checked to be.
tui_start dark
tui_keys f
tui_wait 'Device login' 'enter chooses'
tui_keys Down Enter
tui_wait 'enter starts'
tui_keys Enter
tui_wait 'User code' 'Expires in 15:00' '0 polls' '▀▀▀▀▀▀▀▀▀▀'
tui_shot tui-device
grep -q '0 polls' "$work/tui-device.ansi" || { echo "screenshots: the device flow polled before its picture" >&2; exit 1; }

# MFA in place: the password grant for the sandbox's MFA user answers 403
# mfa_required; m continues in the flow pane with the user's authenticators.
tui_start dark
tui_keys Enter
tui_wait 'next field'
tui_keys -l mfa@example.com
tui_wait '* mfa@example.com'
tui_keys Enter
tui_keys -l 'Passw0rd!'
tui_wait '* ••••••••• '
tui_keys C-s
tui_wait '403 Forbidden' 'm continues with MFA'
tui_keys m
tui_wait 'Which authenticator?' 'Recovery code'
tui_shot tui-mfa

tui_start light
tui_fill
tui_shot tui-hero-light light
tui_stop
