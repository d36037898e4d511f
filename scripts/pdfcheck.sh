#!/usr/bin/env bash
# pdfcheck.sh [-s] [-b BOOK_DIR] [-p PNGPREFIX] FILE.pdf
# Inspects a PDF with poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm) and qpdf.
# Prints: PDF version, page count, page size, metadata (Title/Author/Creator/Producer/dates,
# XMP language and any PDF/A or PDF/UA claim), tagged or not (+ StructTreeRoot, /Lang),
# outline (bookmark) count, fonts and whether all are embedded, extractable text size,
# and the result of `qpdf --check`.
#   -s           strict: also fail when there is no outline, the PDF is not tagged, or Title is empty
#   -b BOOK_DIR  also check the PDF against the book it was built from: Title is the book's title (if it names one),
#                and the text holds every chapter and case-study title and, for each labelled
#                figure, "Figure N.k" (or "Figure CN.k" in case study N) with its caption's first words
#   -p PREFIX    render pages 1-2 to PREFIX-1.png, PREFIX-2.png (80 dpi) with pdftoppm
# Exit: 0 iff qpdf --check finds no errors and all fonts are embedded (plus the -s and -b checks);
#       1 otherwise; 2 if the file cannot be read or a tool is missing.
set -u
strict=0; png=""; book=""
while getopts "sb:p:" o; do
  case $o in s) strict=1;; b) book=$OPTARG;; p) png=$OPTARG;; *) exit 2;; esac
done
shift $((OPTIND-1))
[ $# -eq 1 ] || { echo "usage: $0 [-s] [-b BOOK_DIR] [-p PNGPREFIX] FILE.pdf" >&2; exit 2; }
[ -z "$book" ] || [ -f "$book/book.toml" ] || { echo "pdfcheck.sh: no book.toml in $book" >&2; exit 2; }
f=$1
[ -f "$f" ] || { echo "pdfcheck.sh: no such file: $f" >&2; exit 2; }
for t in pdfinfo pdffonts pdftotext pdftoppm qpdf; do
  command -v $t >/dev/null || { echo "pdfcheck.sh: $t not found (apt-get install poppler-utils qpdf)" >&2; exit 2; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

pdfinfo -isodates "$f" > "$tmp/info" 2>"$tmp/info.err"; irc=$?   # a broken PDF is reported (exit 1), not a tool error
pdfinfo -meta "$f" > "$tmp/meta" 2>/dev/null
pdffonts "$f" > "$tmp/fonts" 2>"$tmp/fonts.err"; echo $? > "$tmp/fonts.rc"
pdftotext -enc UTF-8 "$f" "$tmp/text.txt" 2>/dev/null
qpdf --check "$f" > "$tmp/qcheck" 2>&1; qrc=$?
qpdf --json=2 --json-key=outlines "$f" > "$tmp/outlines.json" 2>/dev/null
# Document catalog (trailer /Root) for StructTreeRoot, MarkInfo, Lang, ViewerPreferences
qpdf --json=2 --json-key=qpdf --json-stream-data=none "$f" > "$tmp/objects.json" 2>/dev/null
if [ -n "$png" ]; then
  pdftoppm -png -r 80 -f 1 -l 2 "$f" "$png" && ls "$png"-*.png 2>/dev/null | sed 's/^/rendered: /'
fi

/usr/bin/python3 - "$tmp" "$qrc" "$strict" "$f" "$irc" "$book" <<'PY'
import json, os, re, sys, tomllib
tmp, qrc, strict, f, irc, book = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4], int(sys.argv[5]), sys.argv[6]
info = {}
for line in open(os.path.join(tmp, "info"), errors="replace"):
    if ":" in line:
        k, v = line.split(":", 1); info[k.strip()] = v.strip()
fail = []
print(f"file: {f} ({info.get('File size', str(os.path.getsize(f)) + ' bytes')})")
if irc != 0:
    fail.append("pdfinfo cannot read it")
    print(f"pdfinfo: FAILED (exit {irc}): " + " | ".join(sorted(set(open(os.path.join(tmp, "info.err"), errors="replace").read().split(chr(10))) - {""})))
print(f"PDF version: {info.get('PDF version','?')}   pages: {info.get('Pages','?')}   page size: {info.get('Page size','?')}"
      f"   encrypted: {info.get('Encrypted','?')}   linearized: {info.get('Optimized','?')}")
for k in ("Title", "Subject", "Keywords", "Author", "Creator", "Producer", "CreationDate", "ModDate"):
    if info.get(k): print(f"  {k}: {info[k]}")
meta = open(os.path.join(tmp, "meta"), errors="replace").read()
print(f"  XMP metadata stream: {'yes' if meta.strip() else 'no'}")
m = re.search(r"<dc:language>.*?<rdf:li[^>]*>([^<]*)<", meta, re.S)
if m: print(f"  XMP dc:language: {m.group(1)}")
for ns, label in (("pdfaid", "PDF/A"), ("pdfuaid", "PDF/UA")):
    part = re.search(ns + r":part(?:>|=\")(\d+)", meta)
    if part:
        conf = re.search(ns + r":conformance(?:>|=\")(\w+)", meta)
        print(f"  claims {label}-{part.group(1)}{conf.group(1).lower() if conf else ''}")

# catalog
root = {}
try:
    d = json.load(open(os.path.join(tmp, "objects.json")))
    objs = d["qpdf"][1]
    rref = objs["trailer"]["value"]["/Root"]
    root = objs["obj:" + rref]["value"]
except Exception:
    pass
def deref(v):
    if isinstance(v, str) and v.endswith(" R"):
        o = objs.get("obj:" + v, {}); return o.get("value", o)
    return v
tagged = info.get("Tagged", "?")
mark = deref(root.get("/MarkInfo", {})) if root else {}
lang = root.get("/Lang", "") if root else ""
if isinstance(lang, str) and lang.startswith("u:"): lang = lang[2:]
vp = deref(root.get("/ViewerPreferences", {})) if root else {}
print(f"tagged: {tagged}   StructTreeRoot: {'yes' if '/StructTreeRoot' in root else 'no'}"
      f"   /Lang: {lang or '-'}   DisplayDocTitle: {vp.get('/DisplayDocTitle', '-') if isinstance(vp, dict) else '-'}")

# outline
def count(items):
    return sum(1 + count(i.get("kids", [])) for i in items)
try:
    outl = json.load(open(os.path.join(tmp, "outlines.json"))).get("outlines", [])
except Exception:
    outl = None
if outl is None:
    print("outline: ? (qpdf could not read it)")
else:
    n = count(outl)
    print(f"outline (bookmarks): {'yes' if n else 'no'} ({n} entries, {len(outl)} top-level)")
    for i in outl[:8]:
        print(f"  - {i.get('title','')}  -> page {i.get('destpageposfrom1','?')}")
    if len(outl) > 8: print(f"  ... {len(outl)-8} more top-level")

# fonts: the last five fields are emb, sub, uni, object and generation; names and types may
# overflow their columns, so the type is what lies between the name and the encoding column
lines = open(os.path.join(tmp, "fonts"), errors="replace").read().splitlines()
fonts, notemb = [], []
if len(lines) >= 2 and lines[1].startswith("---"):
    for l in lines[2:]:
        fields = l.split()
        if len(fields) < 7:
            continue
        name, emb = fields[0], fields[-5]
        typ = " ".join(fields[1:-6])
        fonts.append((name, typ, emb))
        if emb != "yes": notemb.append(f"{name} ({typ})")
frc = open(os.path.join(tmp, "fonts.rc")).read().strip()
if frc != "0":
    print(f"fonts: ? (pdffonts failed, exit {frc})")
else:
    print(f"fonts: {len(fonts)}   all embedded: {'yes' if not notemb else 'NO'}")
for n_ in notemb: print(f"  not embedded: {n_}")
for name, typ, emb in fonts[:12]:
    print(f"  {name}  [{typ}] emb={emb}")
if len(fonts) > 12: print(f"  ... {len(fonts)-12} more")

txt = open(os.path.join(tmp, "text.txt"), errors="replace").read() if os.path.exists(os.path.join(tmp, "text.txt")) else ""
print(f"extractable text: {len(txt)} chars, {len(txt.split())} words")

q = open(os.path.join(tmp, "qcheck"), errors="replace").read().strip().splitlines()
qres = {0: "OK", 2: "ERRORS", 3: "WARNINGS"}.get(qrc, f"exit {qrc}")
print(f"qpdf --check: {qres} (exit {qrc})")
for l in q:
    if not l.startswith("checking ") and l.strip(): print(f"  {l}")

def alnum(s):
    return "".join(c for c in s if c.isalnum())

def book_expectations(book):
    """(title, [(what, text)]) from book.toml and the Markdown it lists."""
    manifest = tomllib.load(open(os.path.join(book, "book.toml"), "rb"))
    files = []
    for part in manifest.get("contents", {}).get("part", []):
        prefix = "C" if part.get("kind") == "case-study" else ""
        files += [(path, prefix) for path in part.get("files", [])]
    wanted, numbers = [], {"": 0, "C": 0}
    for path, prefix in files:
        numbers[prefix] += 1
        number = f"{prefix}{numbers[prefix]}"
        title, figures, fence = None, 0, None
        for line in open(os.path.join(book, path), encoding="utf-8"):
            m = re.match(r"^(`{3,}|~{3,})", line)
            if m and fence is None:
                fence = m.group(1)
                cap = re.search(r"\{#fig-[^\s}]*[^}]*caption=(\"[^\"]*\"|'[^']*')", line)
                if cap:
                    figures += 1
                    wanted.append((f"Figure {number}.{figures}", f"Figure {number}.{figures} {cap.group(1)[1:-1]}"))
                continue
            if fence is not None:
                if line.strip().startswith(fence[0] * len(fence)) and line.strip().strip(fence[0]) == "":
                    fence = None
                continue
            if title is None and line.startswith("# "):
                title = re.sub(r"\s*\{#[^}]*\}\s*$", "", line[2:]).strip()
                wanted.append((f"title of {path}", title))
            img = re.match(r"^!\[(.*)\]\([^)]*\)\{#fig-", line)
            if img:
                figures += 1
                wanted.append((f"Figure {number}.{figures}", f"Figure {number}.{figures} {img.group(1)}"))
    return manifest.get("book", {}).get("title"), wanted

if book:
    title, wanted = book_expectations(book)
    if title is not None and info.get("Title") != title:
        fail.append("Title is not the book's title")
        print(f"book: Title {info.get('Title')!r} != {title!r}")
    text = alnum(txt)
    missing = []
    for what, expected in wanted:
        words = " ".join(expected.split()[:8])
        if alnum(words) not in text:
            missing.append(f"{what}: {words}")
    print(f"book: {len(wanted)} titles and figure captions expected, {len(wanted) - len(missing)} found")
    for m in missing: print(f"  missing {m}")
    if missing: fail.append(f"{len(missing)} titles or captions missing from the text")

if qrc not in (0, 3): fail.append("qpdf --check errors")
if notemb: fail.append("fonts not embedded")
if strict:
    if not outl: fail.append("no outline")
    if tagged != "yes": fail.append("not tagged")
    if not info.get("Title"): fail.append("no Title")
print("RESULT: " + ("PASS" if not fail else "FAIL: " + ", ".join(fail)))
sys.exit(1 if fail else 0)
PY
