#!/usr/bin/env bash
# Regenerates requests.json and requests_v4.json: runs the real node-auth0 SDKs
# (npm auth0@2.44.1, and auth0@4.x for --sdk v4) against a local HTTPS server
# and records every request they send.
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

# node-auth0 4.x (the newest 4.x; SDK4_DIR skips the install), for --sdk v4.
SDK4_VERSION=4.37.1
if [[ -n "${SDK4_DIR:-}" && -d "$SDK4_DIR/node_modules/auth0" ]]; then
  modules4="$(cd "$SDK4_DIR/node_modules" && pwd)"
else
  echo "record.sh: installing auth0@$SDK4_VERSION into $tmp/v4" >&2
  mkdir -p "$tmp/v4"
  (cd "$tmp/v4" && npm install --prefix "$tmp/v4" --no-audit --no-fund --loglevel=error "auth0@$SDK4_VERSION" >&2)
  modules4="$tmp/v4/node_modules"
fi
# A throwaway PKCS#8 RSA key for the client-assertion (private_key_jwt) cases.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/assertion.pem" 2>/dev/null
out4="$here/requests_v4.json"
NODE_PATH="$modules4" NODE_TLS_REJECT_UNAUTHORIZED=0 NODE_NO_WARNINGS=1 \
  node "$here/record_v4.js" "$tmp/cert.pem" "$tmp/key.pem" "$tmp/requests_v4.json" "$tmp/assertion.pem"
mv "$tmp/requests_v4.json" "$out4"
echo "record.sh: wrote $out4" >&2
