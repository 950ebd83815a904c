#!/usr/bin/env bash
# Regenerates the README's screenshots from the real binary: tmux runs
# auth0-explorer against a sandbox tenant, capture-pane takes the screen with
# its colours, and charmbracelet/freeze turns each capture into a PNG.
# Run through `make screenshots`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/bin
out=$root/screenshots
work=$(mktemp -d)
session=a0x-shots-$$
port=18717
trap 'tmux kill-session -t "$session" 2>/dev/null || true; kill "${sbx:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux; }
command -v pngquant >/dev/null || apt-get install -y -qq pngquant >/dev/null 2>&1 || true
[ -x "$bin/freeze" ] || GOBIN=$bin go install github.com/charmbracelet/freeze@v0.2.2
make -s build

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
# render NAME: the capture as a PNG, quantised (terminal colours are few).
render() {
  "$bin/freeze" -l ansi --window --padding 20,24 --margin 0 --font.size 14 "$work/$1.ansi" -o "$out/$1.png" >/dev/null
  if command -v pngquant >/dev/null; then pngquant --quality 60-90 --speed 1 --force --output "$out/$1.png" "$out/$1.png"; fi
  echo "screenshots/$1.png"
}

# The sandbox command itself, captured while it serves, then stopped.
tmux send-keys -t "$session" "clear" Enter
sleep 0.2
tmux send-keys -t "$session" "auth0-explorer sandbox --seed 1" Enter
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
