//! The bad-input corpus: every book under `tests/bad/` is built by the `folio` binary from a
//! temporary copy, and must fail with its expected exit code and locations, without a panic
//! and without writing an edition.
//!
//! A case is a folder holding a small book and
//! - `expected`: the exit code on the first line (1 for errors in the book, 2 for usage and
//!   environment failures), then one substring of stderr per line, a `file:line:col` wherever
//!   the problem has a place in the book;
//! - `setup` (optional): what git cannot carry, done on the copy before the build, one step a
//!   line: `outside NAME` (a file beside the book, outside it), `symlink LINK TARGET` (TARGET
//!   relative to the book, made absolute), `mkdir PATH`, `unreadable PATH` and `readonly PATH`
//!   (skipped when the tests run as root, who reads and writes anything), `args …` (more
//!   arguments for `folio build`), `requires diagrams` (run once `src/diagram/` exists).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one case may take before it counts as hung.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A case as its files describe it.
struct Case {
    name: String,
    dir: PathBuf,
    code: i32,
    locations: Vec<String>,
    setup: Vec<String>,
}

fn cases() -> Vec<Case> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut cases: Vec<Case> = std::fs::read_dir(&corpus)
        .expect("tests/bad exists")
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| read_case(&entry.path()))
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

fn read_case(dir: &Path) -> Case {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let expected = common::read(&dir.join("expected"));
    let mut lines = expected.lines().map(str::trim).filter(|line| !line.is_empty());
    let code = lines.next().and_then(|line| line.parse().ok()).unwrap_or_else(|| panic!("{name}: no exit code"));
    let locations = lines.map(str::to_string).collect();
    let setup = std::fs::read_to_string(dir.join("setup"))
        .map(|text| text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    Case { name, dir: dir.to_path_buf(), code, locations, setup }
}

/// Whether this process reads files whatever their permissions (root does).
fn permissions_are_ignored() -> bool {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").expect("write probe");
    set_mode(&probe, 0o000);
    let ignored = std::fs::read(&probe).is_ok();
    set_mode(&probe, 0o644);
    ignored
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// Why a case cannot run here, if it cannot.
fn skip_reason(case: &Case, root: bool) -> Option<String> {
    for step in &case.setup {
        let word = step.split_whitespace().next().unwrap_or_default();
        if root && matches!(word, "unreadable" | "readonly") {
            return Some("permissions do not bind root".into());
        }
        let diagrams = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diagram");
        if step == "requires diagrams" && !diagrams.is_dir() {
            return Some("the diagram module is not in this tree yet".into());
        }
    }
    None
}

/// Does the `setup` steps on the copy `book`; returns the extra arguments for `folio build`.
fn set_up(case: &Case, book: &Path) -> Vec<String> {
    let beside = book.parent().expect("the book has a parent");
    let mut args = Vec::new();
    for step in &case.setup {
        let words: Vec<&str> = step.split_whitespace().collect();
        match words.as_slice() {
            ["outside", name] => {
                std::fs::write(beside.join(name), "# Outside\n\nNot part of the book.\n").expect("write")
            }
            ["symlink", link, target] => {
                let link = book.join(link);
                std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
                symlink(&book.join(target), &link);
            }
            ["mkdir", path] => std::fs::create_dir_all(book.join(path)).expect("mkdir"),
            ["unreadable", path] => set_mode(&book.join(path), 0o000),
            ["readonly", path] => set_mode(&book.join(path), 0o555),
            ["args", rest @ ..] => args.extend(rest.iter().map(|s| s.to_string())),
            ["requires", _] => {}
            _ => panic!("{}: unknown setup step `{step}`", case.name),
        }
    }
    args
}

/// Runs `folio build . ARGS` in `book`, killing it if it hangs; returns (exit code, stderr).
fn build(book: &Path, args: &[String]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .arg(".")
        .args(args)
        .current_dir(book)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env_remove("GITHUB_ACTIONS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the folio binary runs");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let output = child.wait_with_output().expect("wait");
            return (None, format!("killed after {TIMEOUT:?}\n{}", common::stderr(&output)));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("wait");
    (output.status.code(), common::stderr(&output))
}

/// Every edition found under `dir`: an `html` folder with an index, an `.epub`, a `.pdf`.
fn editions_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if entry.file_name() == "html" && path.join("index.html").is_file() {
                found.push(path.clone());
            }
            found.extend(editions_under(&path));
        } else if path.extension().is_some_and(|ext| ext == "epub" || ext == "pdf") {
            found.push(path);
        }
    }
    found
}

/// Runs one case; the problems found, if any.
fn run(case: &Case) -> Vec<String> {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let book = temp.path().join("book");
    common::copy_dir(&case.dir, &book);
    let _ = std::fs::remove_file(book.join("expected"));
    let _ = std::fs::remove_file(book.join("setup"));
    let args = set_up(case, &book);
    let (code, stderr) = build(&book, &args);
    let mut problems = Vec::new();
    if code != Some(case.code) {
        problems.push(format!("exit code {code:?}, expected {}", case.code));
    }
    for location in &case.locations {
        if !stderr.contains(location.as_str()) {
            problems.push(format!("no `{location}` in stderr"));
        }
    }
    if stderr.contains("panicked") {
        problems.push("folio panicked".into());
    }
    for edition in editions_under(temp.path()) {
        problems.push(format!("an edition was written: {}", edition.display()));
    }
    restore_permissions(case, &book);
    if problems.is_empty() {
        return problems;
    }
    problems.push(format!("stderr:\n{stderr}"));
    problems.into_iter().map(|problem| format!("{}: {problem}", case.name)).collect()
}

/// Lets the temporary folder be removed after `unreadable` and `readonly` steps.
fn restore_permissions(case: &Case, book: &Path) {
    for step in &case.setup {
        if let ["unreadable" | "readonly", path] = step.split_whitespace().collect::<Vec<_>>().as_slice() {
            let path = book.join(path);
            set_mode(&path, if path.is_dir() { 0o755 } else { 0o644 });
        }
    }
}

#[test]
fn every_bad_book_fails_at_its_place_without_writing_an_edition() {
    let cases = cases();
    assert!(cases.len() >= 25, "the corpus has only {} cases", cases.len());
    let root = permissions_are_ignored();
    let mut ran = 0;
    let mut failures = Vec::new();
    for case in &cases {
        if let Some(reason) = skip_reason(case, root) {
            eprintln!("skipped {}: {reason}", case.name);
            continue;
        }
        ran += 1;
        failures.extend(run(case));
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    assert!(ran >= 25, "only {ran} cases ran");
}

#[test]
fn every_case_says_what_it_expects() {
    for case in cases() {
        assert!(matches!(case.code, 1 | 2), "{}: bad input exits 1 or 2, not {}", case.name, case.code);
        assert!(!case.locations.is_empty(), "{}: name at least one place in stderr", case.name);
        if case.code == 1 {
            let located = case.locations.iter().any(|l| l.split(':').nth(1).is_some_and(|n| n.parse::<u32>().is_ok()));
            assert!(located, "{}: an error in the book names its file:line", case.name);
        }
    }
}
