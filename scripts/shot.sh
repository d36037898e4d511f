#!/usr/bin/env bash
# shot.sh — a headless Chromium screenshot of a page of folio's output.
# shot.sh FILE-or-URL OUT.png [WIDTHxHEIGHT]
# Screenshot of a page (local file or http(s)/file URL) with Debian's headless chromium.
# Default size 1280x800. Only the viewport is captured (make HEIGHT larger for long pages).
# Env: CHROMIUM (default /usr/bin/chromium), SHOT_TIMEOUT seconds (default 60),
#      SHOT_EXTRA extra chromium flags (e.g. "--force-device-scale-factor=2").
# Exit: 0 iff OUT.png was written and is a PNG; 1 otherwise; 2 on bad usage.
set -u
[ $# -ge 2 ] || { echo "usage: $0 FILE-or-URL OUT.png [WIDTHxHEIGHT]" >&2; exit 2; }
src=$1; out=$2; size=${3:-1280x800}
[[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "shot.sh: size must be WIDTHxHEIGHT, got $size" >&2; exit 2; }
w=${BASH_REMATCH[1]}; h=${BASH_REMATCH[2]}
chrome=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chrome" ] || { echo "shot.sh: $chrome not found (apt-get install chromium)" >&2; exit 2; }
case $src in
  http://*|https://*|file://*|data:*|about:*) url=$src ;;
  *) [ -e "$src" ] || { echo "shot.sh: no such file: $src" >&2; exit 2; }
     url="file://$(realpath "$src")" ;;
esac
case $out in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"; rm -f "$out"
prof=$(mktemp -d); trap 'rm -rf "$prof"' EXIT
# shellcheck disable=SC2086
timeout "${SHOT_TIMEOUT:-60}" "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$prof" \
  --window-size="$w,$h" --screenshot="$out" ${SHOT_EXTRA:-} "$url" > "$prof/log" 2>&1
rc=$?
if [ -s "$out" ] && [ "$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
  echo "shot.sh: wrote $out (${w}x${h}) from $url"
  exit 0
fi
echo "shot.sh: no screenshot (chromium exit $rc):" >&2; tail -20 "$prof/log" >&2
exit 1
