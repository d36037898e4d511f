//! `folio new DIR --from-mdbook MDBOOK`: copies an mdBook into `DIR` (its build output, hidden
//! folders and symbolic links left behind) and writes there a folio `book.toml` made from the
//! mdBook's summary and settings, for authors who switch.

use crate::build::Report;
use crate::diag::Diagnostics;
use crate::load;
use crate::manifest::{FileEntry, Manifest};
use anyhow::{Context, Result, bail};
use std::fmt::Write;
use std::path::Path;

/// Folders of an mdBook that hold build output, not sources.
const OUTPUT_FOLDERS: [&str; 3] = ["book", "out", "target"];

/// Loads the mdBook at `from` and, if it has no errors, copies it into the new folder `to`
/// with a folio manifest.
pub fn new_from_mdbook(from: &Path, to: &Path) -> Result<Report> {
    let mut diags = Diagnostics::default();
    let loaded = match load::load(from, &mut diags)? {
        Ok(loaded) => loaded,
        Err(sources) => return Ok(Report { sources, diags, written: Vec::new(), out_dir: None }),
    };
    if !loaded.manifest.mdbook {
        bail!("{} holds a folio book already, not an mdBook", from.display());
    }
    convert(&loaded.manifest, from, to)?;
    let written =
        vec![format!("wrote {} with a folio book.toml; build it with `folio build {}`", to.display(), to.display())];
    Ok(Report { sources: loaded.sources, diags, written, out_dir: None })
}

/// Copies the mdBook at `from` (loaded as `manifest`) into the new folder `to` and writes its
/// folio manifest there.
fn convert(manifest: &Manifest, from: &Path, to: &Path) -> Result<()> {
    if to.exists() && (to.is_file() || std::fs::read_dir(to)?.next().is_some()) {
        bail!("{} already exists and is not an empty folder", to.display());
    }
    copy_tree(from, to, true)?;
    let target = to.join("book.toml");
    std::fs::write(&target, folio_manifest(manifest)).with_context(|| format!("cannot write {}", target.display()))
}

fn copy_tree(from: &Path, to: &Path, top: bool) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        let kind = entry.file_type()?;
        if name_text.starts_with('.') || kind.is_symlink() || (top && OUTPUT_FOLDERS.contains(&name_text.as_ref())) {
            continue;
        }
        let target = to.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &target, false)?;
        } else {
            std::fs::copy(entry.path(), &target).with_context(|| format!("cannot copy to {}", target.display()))?;
        }
    }
    Ok(())
}

/// The folio `book.toml` equivalent to an mdBook's manifest.
fn folio_manifest(manifest: &Manifest) -> String {
    let meta = &manifest.meta;
    let mut out = String::from("[book]\n");
    let _ = writeln!(out, "title = {}", quote(&meta.title));
    let optional = [("subtitle", &meta.subtitle), ("description", &meta.description), ("rights", &meta.rights)];
    for (key, value) in optional {
        if let Some(value) = value {
            let _ = writeln!(out, "{key} = {}", quote(value));
        }
    }
    let _ = writeln!(out, "authors = {}", list(meta.authors.iter().map(String::as_str)));
    let _ = writeln!(out, "language = {}", quote(&meta.language));
    let _ = writeln!(out, "identifier = {}", quote(&meta.identifier));
    if !manifest.stylesheets.is_empty() {
        let _ = writeln!(out, "\n[html]\nstylesheets = {}", paths_of(&manifest.stylesheets));
    }
    out.push_str("\n[markdown]\nmdbook = true\n\n[contents]\n");
    if !manifest.front.is_empty() {
        let _ = writeln!(out, "front = {}", paths_of(&manifest.front));
    }
    if !manifest.back.is_empty() {
        let _ = writeln!(out, "back = {}", paths_of(&manifest.back));
    }
    let mut sections = String::new();
    for part in &manifest.parts {
        let _ = writeln!(out, "\n[[contents.part]]\ntitle = {}\nfiles = {}", quote(&part.title), paths_of(&part.files));
        part.files.iter().for_each(|file| write_sections(&mut sections, file));
    }
    if !sections.is_empty() {
        let _ = write!(out, "\n[contents.sections]\n{sections}");
    }
    out
}

fn paths_of(files: &[FileEntry]) -> String {
    list(files.iter().map(|f| f.path.as_str()))
}

fn write_sections(out: &mut String, file: &FileEntry) {
    if file.sections.is_empty() {
        return;
    }
    let _ = writeln!(out, "{} = {}", quote(&file.path), list(file.sections.iter().map(|f| f.path.as_str())));
    file.sections.iter().for_each(|section| write_sections(out, section));
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    format!("[{}]", items.map(quote).collect::<Vec<_>>().join(", "))
}
