#!/usr/bin/env bash
# vnu.sh [-w] [-x] [-c] DIR-or-FILE... — the Nu HTML checker over folio's HTML output.
# Validates every .html/.htm file under each DIR (and any FILE given) with the Nu Html
# Checker (vnu.jar from the npm package vnu-jar, run with java -jar).
#   -w  also print warnings (they are always counted)
#   -x  also validate .xhtml files (checked as XHTML5/XML, e.g. an unzipped EPUB)
#   -c  also check CSS (--also-check-css)
# Prints "files=N errors=N warnings=N" then one line per error:  ERROR file:line:col message
# Exit: 0 iff no errors; 1 if errors; 2 if the tool could not run / no files found.
# Jar lookup: $VNU_JAR, then .tools/node/node_modules/vnu-jar/build/dist/vnu.jar (scripts/setup-tools.sh).
# JVM flags: $VNU_JAVA_OPTS (default: -Xss16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC, about
# 2x faster start-up on 2 cores, same messages; vnu needs a big -Xss with C1-only JIT).
set -u
show_warn=0; xhtml=0; css=()
while getopts "wxc" o; do
  case $o in w) show_warn=1;; x) xhtml=1;; c) css=(--also-check-css);; *) exit 2;; esac
done
shift $((OPTIND-1))
[ $# -ge 1 ] || { echo "usage: $0 [-w] [-x] [-c] DIR-or-FILE..." >&2; exit 2; }
command -v java >/dev/null || { echo "vnu.sh: java not found (apt-get install default-jre-headless)" >&2; exit 2; }
jar=${VNU_JAR:-$(cd "$(dirname "$0")/.." && pwd)/.tools/node/node_modules/vnu-jar/build/dist/vnu.jar}
[ -f "$jar" ] || { echo "vnu.sh: $jar not found; run scripts/setup-tools.sh" >&2; exit 2; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
: > "$tmp/files"
for a in "$@"; do
  if [ -d "$a" ]; then
    if [ $xhtml = 1 ]; then
      find "$a" -type f \( -iname '*.html' -o -iname '*.htm' -o -iname '*.xhtml' \) -print0 >> "$tmp/files"
    else
      find "$a" -type f \( -iname '*.html' -o -iname '*.htm' \) -print0 >> "$tmp/files"
    fi
  elif [ -f "$a" ]; then
    printf '%s\0' "$a" >> "$tmp/files"
  else
    echo "vnu.sh: no such file or directory: $a" >&2; exit 2
  fi
done
n=$(tr -cd '\0' < "$tmp/files" | wc -c)
[ "$n" -gt 0 ] || { echo "vnu.sh: no .html files found in: $*" >&2; exit 2; }

# One JVM per chunk of up to 2000 files; the JSON reports are merged below.
mapfile -d '' files < "$tmp/files"
for ((i=0; i<${#files[@]}; i+=2000)); do
  # shellcheck disable=SC2086
  java ${VNU_JAVA_OPTS--Xss16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -jar "$jar" --format json --stdout ${css[@]+"${css[@]}"} "${files[@]:i:2000}" > "$tmp/r.$i.json" 2>"$tmp/err.$i"
  if [ ! -s "$tmp/r.$i.json" ] || grep -q "StackOverflowError\|OutOfMemoryError\|^Exception" "$tmp/err.$i"; then
    echo "vnu.sh: vnu failed:" >&2; cat "$tmp/err.$i" "$tmp/r.$i.json" >&2; exit 2
  fi
done

/usr/bin/python3 - "$n" "$show_warn" "$tmp"/r.*.json <<'PY'
import json, sys, urllib.parse
n, show_warn, reports = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3:]
errs, warns, version = [], [], "?"
for r in reports:
    txt = open(r).read().strip()
    if not txt:
        print(f"vnu.sh: empty report {r}", file=sys.stderr); sys.exit(2)
    d = json.loads(txt)
    version = d.get("version", version)
    for m in d.get("messages", []):
        url = urllib.parse.unquote(m.get("url", "-")).removeprefix("file:")
        where = f"{url}:{m.get('lastLine', m.get('firstLine', '?'))}:{m.get('firstColumn', m.get('lastColumn', '?'))}"
        line = f"{where} {m.get('message', '')}"
        t, st = m.get("type"), m.get("subType")
        if t == "error" or t == "non-document-error":
            errs.append(("FATAL " if st == "fatal" else "ERROR ") + ("" if t == "error" else "(non-document) ") + line)
        elif t == "info" and st == "warning":
            warns.append("WARNING " + line)
print(f"Nu Html Checker {version}: files={n} errors={len(errs)} warnings={len(warns)}")
for e in errs: print(e)
if show_warn:
    for w in warns: print(w)
sys.exit(1 if errs else 0)
PY
