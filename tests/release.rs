//! Releases: the Blueprint built twice with one SOURCE_DATE_EPOCH is byte-identical in every
//! edition, and `folio release` writes versioned editions, checksums and release.json.

mod common;

use common::{code, stderr};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn blueprint() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book")
}

fn folio_at(epoch: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn files(dir: &Path, prefix: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, prefix, out);
        } else {
            out.insert(path.strip_prefix(prefix).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
        }
    }
}

#[test]
fn two_builds_with_one_source_date_epoch_are_byte_identical() {
    let temp = tempfile::tempdir().unwrap();
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));
    for out in [&a, &b] {
        let output =
            folio_at("1700000000", &["build", blueprint().to_str().unwrap(), "-q", "--out", out.to_str().unwrap()]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    let (mut first, mut second) = (BTreeMap::new(), BTreeMap::new());
    files(&a, &a, &mut first);
    files(&b, &b, &mut second);
    assert!(first.keys().any(|p| p.extension().is_some_and(|e| e == "pdf")), "the PDF was built");
    assert!(first.keys().any(|p| p.extension().is_some_and(|e| e == "epub")), "the EPUB was built");
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>(), "the same files");
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{} differs between the two builds", path.display());
    }
}

#[test]
fn release_writes_versioned_editions_with_checksums() {
    let temp = tempfile::tempdir().unwrap();
    let book = temp.path().join("book");
    common::copy_dir(&blueprint(), &book);
    let output = folio_at("1700000000", &["release", book.to_str().unwrap(), "--version", "v1.2.3", "-q"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let dist = book.join("dist");
    for name in [
        "system-design-blueprint-v1.2.3.epub",
        "system-design-blueprint-v1.2.3.pdf",
        "system-design-blueprint-v1.2.3-html.zip",
        "SHA256SUMS",
        "release.json",
    ] {
        assert!(dist.join(name).is_file(), "{name} missing");
    }
    let check = Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&dist).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let release: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join("release.json")).unwrap()).unwrap();
    assert_eq!(release["version"], "v1.2.3");
    assert_eq!(release["files"].as_array().unwrap().len(), 3);
    assert_eq!(release["build_date"], "2023-11-14T22:13:20Z");

    let epub = std::fs::File::open(dist.join("system-design-blueprint-v1.2.3.epub")).unwrap();
    let mut archive = zip::ZipArchive::new(epub).unwrap();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("OEBPS/content.opf").unwrap(), &mut opf).unwrap();
    assert!(opf.contains("<meta property=\"schema:version\">v1.2.3</meta>"), "{opf}");

    let info = Command::new("pdfinfo").arg(dist.join("system-design-blueprint-v1.2.3.pdf")).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines().any(|l| l.starts_with("Keywords:") && l.contains("version v1.2.3")),
        "the PDF metadata carry the version:\n{info}"
    );
}
