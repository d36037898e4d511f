//! `folio release`: builds every edition with a version, and writes `dist/` with the versioned
//! files, a zip of the HTML edition, `SHA256SUMS` and `release.json`, for CI to attach to a tag.

use crate::build::{self, BuildRequest, Report};
use crate::date::BuildDate;
use crate::manifest::Edition;
use crate::output::StagedDir;
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// What `folio release` was asked to do.
#[derive(Clone, Debug)]
pub struct ReleaseRequest {
    /// The book's folder.
    pub book_dir: PathBuf,
    /// The version; `git describe --tags` when `None`.
    pub version: Option<String>,
    /// Where to write the release files (default `BOOK_DIR/dist`).
    pub dist: Option<PathBuf>,
}

/// One released file.
#[derive(Debug, serde::Serialize)]
struct Released {
    name: String,
    size: u64,
    sha256: String,
}

/// Builds the editions and writes the release files.
pub fn release(request: &ReleaseRequest) -> Result<Report> {
    let version = match &request.version {
        Some(version) => version.clone(),
        None => git_describe(&request.book_dir)?,
    };
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+')) {
        bail!("`{version}` cannot be part of a file name: use letters, digits, `.`, `-`, `_` and `+`");
    }
    let build_request = BuildRequest {
        book_dir: request.book_dir.clone(),
        editions: Edition::ALL.to_vec(),
        out: None,
        version: Some(version.clone()),
        keep_typst: false,
        quiet: true,
    };
    let mut report = build::build(&build_request)?;
    let Some(out) = report.out_dir.clone() else {
        return Ok(report);
    };
    let slug = slug_of(&out)?;
    let dist = request.dist.clone().unwrap_or_else(|| request.book_dir.join("dist"));
    let date = BuildDate::for_book(&request.book_dir);
    let staged = StagedDir::new(&dist)?;
    let mut files = Vec::new();
    for (source, name) in [
        (format!("{slug}.epub"), format!("{slug}-{version}.epub")),
        (format!("{slug}.pdf"), format!("{slug}-{version}.pdf")),
    ] {
        let path = out.join(&source);
        if path.is_file() {
            files.push(add(&staged, &name, std::fs::read(&path)?)?);
        }
    }
    files.push(add(&staged, &format!("{slug}-{version}-html.zip"), zip_folder(&out.join("html"), &date)?)?);
    let sums: String = files.iter().map(|f| format!("{}  {}\n", f.sha256, f.name)).collect();
    staged.write("SHA256SUMS", &sums)?;
    let manifest = serde_json::json!({
        "version": version,
        "files": files,
        "folio_version": env!("CARGO_PKG_VERSION"),
        "build_date": date.iso8601(),
    });
    staged.write("release.json", format!("{}\n", serde_json::to_string_pretty(&manifest)?))?;
    staged.commit()?;
    report.written.push(format!("release {version}: {}", dist.display()));
    Ok(report)
}

fn add(staged: &StagedDir, name: &str, bytes: Vec<u8>) -> Result<Released> {
    let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    staged.write(name, &bytes)?;
    Ok(Released { name: name.to_string(), size: bytes.len() as u64, sha256 })
}

/// The slug, read back from the EPUB the build wrote (the only `.epub` in the output folder).
fn slug_of(out: &Path) -> Result<String> {
    let epub = std::fs::read_dir(out)?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .context("the release build wrote no EPUB")?;
    Ok(epub.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())
}

fn git_describe(dir: &Path) -> Result<String> {
    let output = std::process::Command::new("git").args(["describe", "--tags"]).current_dir(dir).output();
    match output {
        Ok(output) if output.status.success() => Ok(String::from_utf8_lossy(&output.stdout).trim().to_string()),
        _ => bail!("no version: pass --version VERSION (git describe --tags found no tag)"),
    }
}

/// A zip of every file under `folder`, in sorted order with fixed times and permissions.
fn zip_folder(folder: &Path, date: &BuildDate) -> Result<Vec<u8>> {
    let mut paths = Vec::new();
    collect_files(folder, folder, &mut paths)?;
    paths.sort();
    let year = date.year.clamp(1980, 2107) as u16;
    let time = DateTime::from_date_and_time(year, date.month, date.day, date.hour, date.minute, date.second)
        .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for relative in paths {
        zip.start_file(format!("html/{relative}"), options)?;
        zip.write_all(&std::fs::read(folder.join(&relative))?)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}
