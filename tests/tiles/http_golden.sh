#!/usr/bin/env bash
# Serves DIR over HTTP on loopback and renders DIR/tileset.json from the URL with
# golden.sh, against the golden image of the same tileset rendered from disk.
# usage: http_golden.sh SERVE_HTTP_PY DIR GOLDEN_SH ZWILLING IMAGE_COMPARE GOLDEN OUT VIEWER_ARGS...
set -uo pipefail
serve=$1 dir=$2 golden_sh=$3
shift 3
if [ -n "${ZW_NEED:-}" ] && [ ! -e "$ZW_NEED" ]; then echo "skipped: $ZW_NEED is not here"; exit 77; fi
command -v python3 >/dev/null || { echo "FAIL: python3 is missing (scripts/dev installs it)"; exit 1; }
tmp=$(mktemp -d)
python3 "$serve" --root "$dir" --port-file "$tmp/port" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || { echo "FAIL: the test HTTP server did not start"; exit 1; }
url="http://127.0.0.1:$(cat "$tmp/port")/tileset.json"
echo "serving $dir at $url"
bash "$golden_sh" "$@" --tileset "$url"
