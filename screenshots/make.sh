#!/usr/bin/env bash
# Regenerates the README's screenshots from the real binary: tmux runs
# auth0-explorer against a sandbox tenant, capture-pane takes the screen with
# its colours, and charmbracelet/freeze turns each capture into a PNG. The
# headless commands run in a shell; the terminal UI runs on its own at
# 120x36, on a seeded sandbox at a fixed address with a frozen clock, so the
# pictures are the same on every run (see the end of this file for what
# still moves). Run through `make screenshots`.
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
# The terminal UI's clock: tokens are minted and checked at this instant.
now=2026-01-15T09:30:00Z
trap 'tmux kill-session -t "$session" 2>/dev/null || true; tmux kill-session -t "$tui" 2>/dev/null || true; kill "${sbx:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux; }
command -v pngquant >/dev/null || apt-get install -y -qq pngquant >/dev/null 2>&1 || true
[ -x "$bin/freeze" ] || GOBIN=$bin go install github.com/charmbracelet/freeze@v0.2.2
make -s build
# freeze draws only part of SGR (no reverse video, no default colours);
# sgr.go rewrites each capture into what it draws.
go build -o "$work/sgr" screenshots/sgr.go

# A deterministic sandbox tenant (fixed key and credentials), on its own.
mkdir -p "$work/config"
"$bin/auth0-explorer" sandbox --seed 1 --addr 127.0.0.1:$port >"$work/sandbox.txt" &
sbx=$!
for _ in $(seq 200); do grep -q Ctrl+C "$work/sandbox.txt" 2>/dev/null && break; sleep 0.05; done
base=http://127.0.0.1:$port
cid=$(awk '/client id/ {print $3; exit}' "$work/sandbox.txt")
secret=$(awk '/client secret/ {print $3; exit}' "$work/sandbox.txt")

# The shell in tmux talks to the sandbox through the environment, and never
# sees the user's own profiles.
tmux new-session -d -s "$session" -x 112 -y 62 \
  "env PS1='$ ' PATH=$bin:$PATH AUTH0_EXPLORER_CONFIG=$work/config AUTH0_DOMAIN=$base AUTH0_CLIENT_ID=$cid AUTH0_CLIENT_SECRET=$secret TERM=xterm-256color bash --norc --noprofile"

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

# The terminal UI. tui_start THEME: the program alone in a 120x36 tmux
# window, on sandbox seed 1 at a fixed port with the clock frozen at $now.
tui_start() {
  tmux kill-session -t "$tui" 2>/dev/null || true
  tmux new-session -d -s "$tui" -x 120 -y 36 \
    "env AUTH0_EXPLORER_CONFIG=$work/config AUTH0_EXPLORER_THEME=$1 TERM=xterm-256color COLORTERM=truecolor $bin/auth0-explorer --seed 1 --sandbox-addr 127.0.0.1:$tuiport --now $now"
  tui_wait passwordGrant
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
# tui_shot NAME [light]: once the screen holds still (two captures 0.2 s
# apart agree), as a PNG.
tui_shot() {
  local a b
  a=$(tmux capture-pane -p -e -t "$tui")
  for _ in $(seq 50); do
    sleep 0.2
    b=$(tmux capture-pane -p -e -t "$tui")
    [ "$a" = "$b" ] && break
    a=$b
  done
  printf '%s\n' "$b" >"$work/$1.ansi"
  render "$1" "${2:-}"
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
  tui_wait '* •••••••••'
  tui_keys Enter Enter # past realm, to scope
  tui_keys -l 'openid profile email'
  tui_wait 'openid profile email' 'ready: ctrl+s sends'
  # On to audience: the cursor block rests on an empty field (freeze
  # draws backgrounds a little left of the text, and it would hide the
  # last letter of the scope).
  tui_keys Enter
  tui_wait 'identifier of the API'
}

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
tui_keys C-c

tui_start light
tui_fill
tui_shot tui-hero-light light
tui_keys C-c

# What still differs from run to run: in tui-body, tui-tokens and tui-help
# the exchange's duration ("200 OK · 2ms", and in the status bar), measured
# on the wall clock; in call and token the id_token's iat, exp and
# updated_at (the sandbox command's clock), and with them the token text
# and token's "expires in".
