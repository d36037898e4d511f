#!/usr/bin/env python3
"""bench.py — folio against its peers, side by side in one run (`make bench`).

Each comparison runs its two commands alternately (A B A B …, PAIRS pairs), reports the median
wall time of each, their ratio, and peak memory (from /usr/bin/time -v), then writes the table
to target/bench/report.md. Peers: pandoc (EPUB), mdBook (HTML), the Typst compiler (PDF, on
folio's own --keep-typst project). Also: a 10x book (the Blueprint repeated, labels renamed),
the live-preview update after a one-paragraph edit, parse/resolve throughput, diagrams per
second, and the search index against the site.
"""
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLIO = ROOT / "target" / "debug" / "folio"
TOOLS = ROOT / ".tools"
PAIRS = int(os.environ.get("BENCH_PAIRS", "3"))
OUT = ROOT / "target" / "bench"
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_COLOR="1")


def run(cmd, cwd=None):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, env=ENV, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return took, (int(rss.group(1)) / 1000 if rss else float("nan"))


def compare(a, b, prepare=None):
    """Alternates a and b PAIRS times; returns medians (time, rss) of each."""
    results = {"a": [], "b": []}
    for _ in range(PAIRS):
        for key, cmd in (("a", a), ("b", b)):
            if prepare:
                prepare(key)
            results[key].append(run(cmd))
    med = lambda rows, i: statistics.median(r[i] for r in rows)
    return (med(results["a"], 0), med(results["a"], 1)), (med(results["b"], 0), med(results["b"], 1))


def ensure_peers():
    if not shutil.which("pandoc") or not Path("/usr/bin/time").exists():
        subprocess.run(["apt-get", "install", "-y", "-qq", "pandoc", "time"], check=True, capture_output=True)
    mdbook = TOOLS / "cargo" / "bin" / "mdbook"
    if not mdbook.exists():
        print("bench: installing mdbook 0.5.4 (a few minutes)", flush=True)
        subprocess.run(["cargo", "install", "mdbook", "--version", "0.5.4", "--locked", "--root", str(TOOLS / "cargo")], check=True, capture_output=True)
    python = TOOLS / "venv" / "bin" / "python"
    if subprocess.run([str(python), "-c", "import typst"], capture_output=True).returncode != 0:
        subprocess.run([str(TOOLS / "venv" / "bin" / "pip"), "install", "-q", "typst==0.15.2"], check=True)
    return mdbook, python


def book_files(book):
    text = (book / "book.toml").read_text()
    return re.findall(r'"((?:front|chapters|case-studies|back)/[^"]+\.md)"', text)


def mdbook_project(book, work):
    """The same chapters as an mdBook, with a generated SUMMARY.md."""
    project = work / "mdbook"
    src = project / "src"
    src.mkdir(parents=True)
    (project / "book.toml").write_text('[book]\ntitle = "The System Design Blueprint"\n[output.html]\n')
    lines = ["# Summary\n"]
    for rel in book_files(book):
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        # mdBook has no case-study parts: their labels become chapter labels
        target.write_text((book / rel).read_text().replace("{#cs-", "{#ch-cs-").replace("@cs-", "@ch-cs-"))
        title = (book / rel).read_text().split("\n", 1)[0].lstrip("# ").split(" {#")[0]
        lines.append(f"- [{title}]({rel})")
    (src / "SUMMARY.md").write_text("\n".join(lines) + "\n")
    return project


def mdbook_books(work, blueprint):
    """mdBooks that folio builds as they are: the mdBook fixture (its preprocessor, extra
    backend and [pdf] table removed, which mdBook 0.5 cannot run or refuses) and the Blueprint
    as an mdBook."""
    fixture = work / "mdbook-fixture"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mdbook", fixture, ignore=shutil.ignore_patterns("out", "book"))
    manifest = (fixture / "book.toml").read_text()
    manifest = re.sub(r"\[preprocessor\.admonish\]\ncommand = .*\n|\[output\.linkcheck\]\n|\[pdf\]\npaper = .*\n", "", manifest)
    (fixture / "book.toml").write_text(manifest)
    files = [f for f in (blueprint / "src").rglob("*.md") if f.name != "SUMMARY.md"]
    size = sum(f.stat().st_size for f in files) / 1e6
    return [("tests/fixtures/mdbook", fixture), (f"the Blueprint ({len(files)} files, {size:.1f} MB)", blueprint)]


def pandoc_inputs(book):
    return [str(book / rel) for rel in book_files(book)]


def ten_times(book, work):
    """The Blueprint repeated ten times, every label renamed per copy."""
    big = work / "big"
    shutil.copytree(book, big, ignore=shutil.ignore_patterns("out", "dist"))
    files = book_files(book)
    manifest = (book / "book.toml").read_text()
    parts = []
    label = re.compile(r"([#@])((?:ch|sec|fig|tbl|lst|cs)-[A-Za-z0-9_-]*[A-Za-z0-9])")
    for copy in range(10):
        for rel in files:
            text = (book / rel).read_text()
            text = label.sub(lambda m: f"{m.group(1)}{m.group(2)}-x{copy}", text)
            text = re.sub(r"\]\(([^)#]+\.md)#", lambda m: f"]({m.group(1)}#", text)
            out = big / f"copy{copy}" / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text)
        parts.append((copy, [f"copy{copy}/{rel}" for rel in files if rel.startswith(("chapters", "case-studies"))]))
    front = [f'"copy0/{r}"' for r in files if r.startswith("front")]
    back = [f'"copy0/{r}"' for r in files if r.startswith("back")]
    head = manifest.split("[contents]")[0].replace('cover = "images/cover.svg"\n', "")
    body = f"[contents]\nfront = [{', '.join(front)}]\nback = [{', '.join(back)}]\n"
    for copy, rels in parts:
        chapters = [r for r in rels if "/chapters/" in r]
        cases = [r for r in rels if "/case-studies/" in r]
        body += f'\n[[contents.part]]\ntitle = "Foundations {copy + 1}"\nfiles = [{", ".join(chr(34) + r + chr(34) for r in chapters)}]\n'
        body += f'\n[[contents.part]]\ntitle = "Case Studies {copy + 1}"\nkind = "case-study"\nfiles = [{", ".join(chr(34) + r + chr(34) for r in cases)}]\n'
    (big / "book.toml").write_text(head + body)
    # cross-file links name the original files: point them into the same copy's folders
    return big


def served(url):
    """The page at url, or "" while the server answers with an error."""
    try:
        return urllib.request.urlopen(url).read().decode()
    except OSError:
        return ""


def serve_update_ms(book, work):
    """Starts `folio serve`, edits one paragraph, returns ms until the served page changed."""
    copy = work / "serve-book"
    shutil.copytree(book, copy, ignore=shutil.ignore_patterns("out", "dist"))
    subprocess.run([str(FOLIO), "build", str(copy), "-q", "--edition", "html"], env=ENV, check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(FOLIO), "serve", str(copy), "--port", str(port)], env=ENV, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/04-caching.html"
        for _ in range(200):
            try:
                urllib.request.urlopen(url).read()
                break
            except OSError:
                time.sleep(0.05)
        samples = []
        chapter = copy / "chapters" / "04-caching.md"
        original = chapter.read_text()
        for i in range(PAIRS + 2):
            marker = f"Edited paragraph number {i}."
            start = time.perf_counter()
            chapter.write_text(original + f"\n{marker}\n")
            while marker not in served(url):
                if time.perf_counter() - start > 20:
                    sys.exit("bench: the served page never changed")
                time.sleep(0.002)
            samples.append((time.perf_counter() - start) * 1000)
            time.sleep(0.3)
        return statistics.median(samples)
    finally:
        server.terminate()
        server.wait()


WORDS = ("the cache holds a copy of hot rows so that reads skip the database while writes go through "
         "and invalidate the entry after commit which bounds staleness to one round trip").split()


def prose(rng, words=90):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def limit_book(path, title, files):
    """A book of one part holding `files` (name → Markdown)."""
    (path / "ch").mkdir(parents=True)
    for name, text in files.items():
        (path / "ch" / name).write_text(text)
    listed = ", ".join(f'"ch/{name}"' for name in files)
    (path / "book.toml").write_text(f'[book]\ntitle = "{title}"\n[[contents.part]]\ntitle = "Part"\nfiles = [{listed}]\n')
    return path


def long_chapter(path, megabytes):
    rng, out, size, k = random.Random(1), ["# A long chapter\n"], 0, 0
    while size < megabytes * 1e6:
        if k % 6 == 0:
            out.append(f"\n## Section {k // 6}\n")
        text = prose(rng)
        out.append(f"\n{text}\n")
        size, k = size + len(text) + 2, k + 1
    return limit_book(path, f"{megabytes} MB chapter", {"long.md": "".join(out)})


def many_files(path, count):
    files = {f"f{i:04}.md": f"# File {i}\n\nShort file {i}, linked to [the next](f{(i + 1) % count:04}.md).\n\n## Part {i}.1\n\nText.\n" for i in range(count)}
    return limit_book(path, f"{count} files", files)


def many_diagrams(path, count):
    per_file = 25
    files = {}
    for f in range(count // per_file):
        blocks = [f"# Diagrams {f}\n"]
        for d in range(per_file):
            n = f * per_file + d
            blocks.append(f"\n```mermaid {{#fig-d{n} caption=\"Diagram {n}\"}}\nflowchart TD\n  A{n}[Client {n}] --> B{n}[Gateway]\n  B{n} --> C{n}[(Store {n})]\n```\n")
        files[f"d{f:03}.md"] = "".join(blocks)
    return limit_book(path, f"{count} diagrams", files)


def long_table(path, rows):
    lines = ["# A long table\n", "\n| Key | Region | Replicas | Latency (ms) |\n|---|---|---|---|\n"]
    lines += [f"| k{i} | eu-{i % 7} | {1 + i % 5} | {10 + i % 90} |\n" for i in range(rows)]
    lines.append("\nTable: Placement of every key {#tbl-keys}\n")
    return limit_book(path, f"{rows}-row table", {"table.md": "".join(lines)})


def limit_rows(work):
    """Each limit of the reliability issue at half and full size, all three editions built:
    linear growth doubles time and memory; the verdict allows 10% over that."""
    folio = lambda *args: [str(FOLIO), *args, "-q"]
    cases = [
        ("one chapter of 5 / 10 MB", long_chapter, 5, 10),
        ("1,000 / 2,000 files", many_files, 1000, 2000),
        ("250 / 500 diagrams, drawn afresh", many_diagrams, 250, 500),
        ("a table of 5,000 / 10,000 rows", long_table, 5000, 10000),
    ]
    rows = []
    print("| limit | half | full | time ratio | RSS ratio | |", flush=True)
    for what, make, half, full in cases:
        small, big = make(work / f"limit-{half}", half), make(work / f"limit-{full}", full)
        fresh = lambda key: [shutil.rmtree(book / "out" / ".cache", ignore_errors=True) for book in (small, big)]
        a, b = compare(folio("build", str(big)), folio("build", str(small)), prepare=fresh)
        time_ratio, rss_ratio = a[0] / b[0], a[1] / b[1]
        verdict = "linear" if time_ratio <= 2.2 and rss_ratio <= 2.2 else "superlinear"
        rows.append(f"| {what} | {b[0]:.2f} s, {b[1]:.0f} MB | {a[0]:.2f} s, {a[1]:.0f} MB | {time_ratio:.2f} | {rss_ratio:.2f} | {verdict} |")
        print(rows[-1], flush=True)
    return rows


def folder_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def main():
    if not FOLIO.exists():
        sys.exit("bench: build folio first (make build)")
    mdbook, python = ensure_peers()
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="folio-bench-"))
    book = work / "book"
    shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("out", "dist"))
    folio = lambda *args: [str(FOLIO), *args, "-q"]
    subprocess.run(folio("build", str(book), "--keep-typst"), env=ENV, check=True)
    rows = []

    def row(what, peer, a, b, target):
        ratio = a[0] / b[0]
        ok = "met" if ratio <= target else f"not met ({ratio / target:.2f}x the target)"
        rows.append(f"| {what} | {peer} | {a[0]:.3f} s, {a[1]:.0f} MB | {b[0]:.3f} s, {b[1]:.0f} MB | {ratio:.2f} | ≤ {target} | {ok} |")
        print(rows[-1], flush=True)

    a, b = compare(folio("build", str(book), "--edition", "epub"), ["pandoc", "-f", "markdown", "-o", str(work / "pandoc.epub"), *pandoc_inputs(book)])
    row("EPUB edition", "pandoc " + subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split()[1], a, b, 0.25)
    project = mdbook_project(book, work)
    a, b = compare(folio("build", str(book), "--edition", "html"), [str(mdbook), "build", str(project)])
    row("HTML edition", "mdBook 0.5.4", a, b, 1.0)
    for name, project_dir in mdbook_books(work, project):
        a, b = compare(folio("build", str(project_dir), "--edition", "html"), [str(mdbook), "build", str(project_dir)])
        row(f"HTML of an mdBook as it is: {name}", "mdBook 0.5.4, same folder", a, b, 1.0)
    typst_project = book / "out" / "typst"
    compile_typst = [str(python), "-c", f"import typst; typst.compile({str(typst_project / 'main.typ')!r}, output={str(work / 'typst.pdf')!r}, root={str(typst_project)!r}, font_paths=[{str(typst_project / 'fonts')!r}])"]
    a, b = compare(folio("build", str(book), "--edition", "pdf"), compile_typst)
    row("PDF edition", "Typst 0.15.1 (typst-py) on --keep-typst", a, b, 1.1)
    a, b = compare(folio("build", str(book)), folio("build", str(book), "--edition", "pdf"))
    row("all three editions", "folio's PDF edition alone", a, b, 1.15)
    big = ten_times(book, work)
    a, b = compare(folio("build", str(big)), folio("build", str(book)))
    rows.append(f"| 10× book, time | the 1× book | {a[0]:.3f} s | {b[0]:.3f} s | {a[0] / b[0]:.2f} | ≤ 10.5 | {'met' if a[0] / b[0] <= 10.5 else 'not met'} |")
    rows.append(f"| 10× book, peak RSS | the 1× book | {a[1]:.0f} MB | {b[1]:.0f} MB | {a[1] / b[1]:.2f} | ≤ 10.5 | {'met' if a[1] / b[1] <= 10.5 else 'not met'} |")
    print(rows[-2], rows[-1], sep="\n", flush=True)
    cold_html = compare(folio("build", str(book), "--edition", "html"), folio("build", str(book), "--edition", "html"))[0][0]
    served = serve_update_ms(book, work)
    rows.append(f"| `folio serve`, one paragraph edited | the cold HTML build ({cold_html * 1000:.0f} ms) | {served:.0f} ms | | | ≤ 50 ms | {'met' if served <= 50 else 'not met'} |")
    print(rows[-1], flush=True)

    markdown_bytes = sum((book / rel).stat().st_size for rel in book_files(book))
    check_time = statistics.median(run(folio("check", str(book)))[0] for _ in range(PAIRS))
    fresh = work / "cold"
    shutil.copytree(book, fresh, ignore=shutil.ignore_patterns("out", "dist"))
    cold = run(folio("build", str(fresh), "--edition", "html"))[0]
    warm = run(folio("build", str(fresh), "--edition", "html"))[0]
    diagrams = len(re.findall(r"```(?:mermaid|dot|bob|pikchr)", "".join((book / rel).read_text() for rel in book_files(book))))
    site = folder_size(book / "out" / "html")
    index = (book / "out" / "html" / "search-index.js").stat().st_size
    extras = [
        f"- parse, resolve and draw (`folio check`, {markdown_bytes / 1e6:.2f} MB of Markdown): {check_time:.3f} s, {markdown_bytes / 1e6 / check_time:.1f} MB/s",
        f"- diagrams: {diagrams} drawn in {max(cold - warm, 1e-3):.2f} s (cold minus cached HTML build), {diagrams / max(cold - warm, 1e-3):.0f} diagrams/s",
        f"- search index: {index / 1e3:.0f} KB for a {site / 1e6:.1f} MB site ({100 * index / site:.1f}%)",
    ]
    for line in extras:
        print(line)
    limits = limit_rows(work)
    report = ["# folio benchmark", "", f"{PAIRS} alternating pairs per row, medians; {os.cpu_count()} cores.", "",
              "| what | peer | folio | peer | ratio | target | |", "|---|---|---|---|---|---|---|", *rows, "", *extras, "",
              "Limits (all three editions; full size against half size):", "",
              "| limit | half | full | time ratio | RSS ratio | |", "|---|---|---|---|---|---|", *limits, ""]
    (OUT / "report.md").write_text("\n".join(report))
    print(f"bench: wrote {OUT / 'report.md'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
