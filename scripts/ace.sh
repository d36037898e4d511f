#!/usr/bin/env bash
# ace.sh [-a] FILE.epub [OUTDIR]
# EPUB accessibility check with Ace by DAISY (npm @daisy/ace-cli, whose axe runner drives
# Debian's /usr/bin/chromium through puppeteer; Ace itself passes --no-sandbox).
# Prints the outcome, violation counts by impact (critical/serious/moderate/minor), missing
# accessibility metadata, and one line per violation:  IMPACT rule file [css-selector] description
# The full JSON + HTML report is kept in OUTDIR (default: a temp dir, deleted).
#   -a   fail on any violation (default: fail only on critical or serious ones)
# Exit: 0 iff no critical/serious violation (with -a: no violation at all); 1 otherwise;
#       2 if Ace could not run.
set -u
all=0
while getopts "a" o; do case $o in a) all=1;; *) exit 2;; esac; done
shift $((OPTIND-1))
[ $# -ge 1 ] || { echo "usage: $0 [-a] FILE.epub [OUTDIR]" >&2; exit 2; }
f=$1; out=${2:-}
[ -f "$f" ] || [ -d "$f" ] || { echo "ace.sh: no such file: $f" >&2; exit 2; }
ace=${ACE_CLI:-$(cd "$(dirname "$0")/.." && pwd)/.tools/node/node_modules/.bin/ace-cli}
[ -x "$ace" ] || { echo "ace.sh: $ace not found; run scripts/setup-tools.sh" >&2; exit 2; }
export PUPPETEER_EXECUTABLE_PATH=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}
export PUPPETEER_SKIP_DOWNLOAD=1
# Ace gives Chromium 5 s to start by default, too little on a loaded CI runner.
export ACE_TIMEOUT_INITIAL=${ACE_TIMEOUT_INITIAL:-120000}
[ -x "$PUPPETEER_EXECUTABLE_PATH" ] || { echo "ace.sh: $PUPPETEER_EXECUTABLE_PATH missing (apt-get install chromium)" >&2; exit 2; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -n "$out" ] || out=$tmp/report
run_ace() { "$ace" -f -o "$out" -t "$tmp/t" "$f" > "$tmp/log" 2>&1; }
run_ace
rc=$?
# A browser that failed to start is the machine's problem, not the book's: try once more.
if [ ! -s "$out/report.json" ] && grep -q "WS endpoint\|launch the browser" "$tmp/log"; then
  sleep 5; run_ace; rc=$?
fi
if [ ! -s "$out/report.json" ]; then
  sed 's/\x1b\[[0-9;]*m//g' "$tmp/log" > "$tmp/log.txt"
  if grep -q "Ace processing error" "$tmp/log.txt" && ! grep -qi "launch the browser\|puppeteer\|chrom\|WS endpoint" "$tmp/log.txt"; then   # Ace ran, but the input is unreadable
    echo "Ace: outcome=fail (could not process the input)"; grep -i "error" "$tmp/log.txt"; exit 1
  fi
  echo "ace.sh: Ace produced no report (exit $rc):" >&2; cat "$tmp/log.txt" >&2; exit 2
fi
/usr/bin/python3 - "$out/report.json" "$all" "${2:-}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); fail_any = sys.argv[2] == "1"; keep = sys.argv[3]
ver = d.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision", "?")
counts = {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}
lines = []
for a in d.get("assertions", []):
    url = a.get("earl:testSubject", {}).get("url", "?")
    for b in a.get("assertions", []):
        t, r = b.get("earl:test", {}), b.get("earl:result", {})
        if r.get("earl:outcome") != "fail": continue
        imp = t.get("earl:impact", "minor"); counts[imp] = counts.get(imp, 0) + 1
        css = r.get("earl:pointer", {}).get("css")
        where = url + (f" [{', '.join(css)}]" if css else "")
        desc = " ".join(str(r.get("dct:description", t.get("dct:title", ""))).split())
        lines.append((list(counts).index(imp) if imp in counts else 9, f"{imp.upper()} {t.get('dct:title','?')} {where} {desc}"))
print(f"Ace {ver}: outcome={d.get('earl:result', {}).get('earl:outcome', '?')} "
      + " ".join(f"{k}={v}" for k, v in counts.items()))
miss = d.get("a11y-metadata", {}).get("missing", [])
if miss: print("missing a11y metadata: " + ", ".join(miss))
for _, l in sorted(lines, key=lambda x: x[0]): print(l)
if keep: print(f"full report: {keep}/report.html")
bad = sum(counts.values()) if fail_any else counts["critical"] + counts["serious"]
sys.exit(1 if bad else 0)
PY
