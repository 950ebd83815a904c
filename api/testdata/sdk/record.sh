#!/usr/bin/env bash
# Regenerates requests.json: runs the real node-auth0 SDK (npm auth0@2.44.1)
# against a local HTTPS server and records every request it sends.
#
# Needs node, npm (registry access) and openssl. Set SDK_DIR to a folder that
# already has node_modules/auth0 (2.44.1) to skip the npm install.
set -euo pipefail

SDK_VERSION=2.44.1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/auth0-sdk-record.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if [[ -n "${SDK_DIR:-}" && -d "$SDK_DIR/node_modules/auth0" ]]; then
  modules="$(cd "$SDK_DIR/node_modules" && pwd)"
else
  echo "record.sh: installing auth0@$SDK_VERSION into $tmp" >&2
  (cd "$tmp" && npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "auth0@$SDK_VERSION" >&2)
  modules="$tmp/node_modules"
fi

# A throwaway self-signed certificate for 127.0.0.1.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null

out="$here/requests.json"
NODE_PATH="$modules" NODE_TLS_REJECT_UNAUTHORIZED=0 NODE_NO_WARNINGS=1 \
  node "$here/record.js" "$tmp/cert.pem" "$tmp/key.pem" "$tmp/requests.json"
mv "$tmp/requests.json" "$out"
echo "record.sh: wrote $out" >&2
