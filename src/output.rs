//! The output folder: atomic replacement of editions and folio's ownership marker.
//!
//! Each edition is written beside its target (a temporary file or folder) and renamed into
//! place, so a failed or interrupted build leaves the previous editions untouched. `folio`
//! marks the folders it creates so that `folio clean` never removes anything else.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The file that marks an output folder as folio's.
pub const MARKER: &str = ".folio-output";

/// Creates the output folder (with its marker) if needed, refusing a file or a foreign folder
/// that is not empty.
pub fn prepare(out: &Path) -> Result<()> {
    if out.is_file() {
        bail!("the output folder {} is a file", out.display());
    }
    if out.is_dir() {
        if !out.join(MARKER).is_file() && std::fs::read_dir(out)?.next().is_some() {
            bail!(
                "{} exists and was not made by folio; choose another output folder (--out) or empty it",
                out.display()
            );
        }
    } else {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create the output folder {}", out.display()))?;
    }
    for entry in std::fs::read_dir(out)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((target, _pid)) = name.strip_prefix('.').and_then(|rest| rest.rsplit_once(".old-")) {
            restore_interrupted(&out.join(target))?;
        }
    }
    remove_leftovers(out)?;
    let marker = out.join(MARKER);
    if !marker.is_file() {
        std::fs::write(&marker, "This folder is written by folio; `folio clean` removes it.\n")
            .with_context(|| format!("cannot write to the output folder {}", out.display()))?;
    }
    Ok(())
}

/// Removes the output folder if folio made it.
pub fn clean(out: &Path) -> Result<bool> {
    if !out.exists() {
        return Ok(false);
    }
    if !out.join(MARKER).is_file() {
        bail!("{} was not made by folio (no {MARKER} file); not removing it", out.display());
    }
    std::fs::remove_dir_all(out).with_context(|| format!("cannot remove {}", out.display()))?;
    Ok(true)
}

/// A folder being written beside its final place.
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
}

impl StagedDir {
    /// Starts writing the folder that will replace `target`.
    pub fn new(target: &Path) -> Result<Self> {
        restore_interrupted(target)?;
        let staging = sibling(target, "tmp");
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        Ok(StagedDir { staging, target: target.to_path_buf() })
    }

    /// Writes `relative` (with `/` separators) inside the staged folder.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
        let path = self.staging.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Replaces the target with the staged folder.
    pub fn commit(self) -> Result<()> {
        replace_dir(&self.staging, &self.target)
    }
}

/// Replaces the folder `target` with the folder `new`: the old one is moved aside, the new one
/// renamed into place, the old one removed. A process killed between the two renames leaves
/// the old folder aside, and [`restore_interrupted`] puts it back.
fn replace_dir(new: &Path, target: &Path) -> Result<()> {
    let old = sibling(target, "old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    if target.exists() {
        std::fs::rename(target, &old).with_context(|| format!("cannot move {} aside", target.display()))?;
    }
    std::fs::rename(new, target).with_context(|| format!("cannot move the new {} into place", target.display()))?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// The editions of one build, written into a hidden folder inside the output folder and moved
/// into place together once every edition is complete: a build that fails or is killed on the
/// way leaves every previous edition as it was.
pub struct Stage {
    dir: PathBuf,
    out: PathBuf,
}

impl Stage {
    /// Starts the build's folder inside `out` (which [`prepare`] made).
    pub fn new(out: &Path) -> Result<Self> {
        let dir = out.join(format!(".build-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir).with_context(|| format!("cannot write to the output folder {}", out.display()))?;
        Ok(Stage { dir, out: out.to_path_buf() })
    }

    /// Where the editions are written until [`Stage::publish`].
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Moves every edition written into the output folder, replacing the previous ones.
    pub fn publish(self) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(&self.dir)?.flatten().map(|entry| entry.path()).collect();
        entries.sort_by_key(|path| path.is_dir());
        for path in entries {
            let Some(name) = path.file_name() else { continue };
            let target = self.out.join(name);
            if path.is_dir() {
                replace_dir(&path, &target)?;
            } else {
                std::fs::rename(&path, &target)
                    .with_context(|| format!("cannot move {} into place", target.display()))?;
            }
        }
        Ok(())
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes what builds killed on the way left in `out` (their `.build-PID` folders and
/// `.NAME.tmp-PID` files), when this system tells which processes are alive.
fn remove_leftovers(out: &Path) -> Result<()> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(out)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name.strip_prefix(".build-").or_else(|| name.rsplit_once(".tmp-").map(|(_, pid)| pid));
        let dead = pid.is_some_and(|pid| pid.parse::<u32>().is_ok() && !proc.join(pid).exists());
        if dead && name.starts_with('.') {
            let path = entry.path();
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
    Ok(())
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// Puts back the previous `target` that a build killed between the two renames of
/// [`StagedDir::commit`] left aside as `.NAME.old-PID`.
fn restore_interrupted(target: &Path) -> Result<()> {
    if target.exists() {
        return Ok(());
    }
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Ok(());
    };
    let prefix = format!(".{}.old-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let aside = entries.flatten().find(|entry| entry.file_name().to_string_lossy().starts_with(&prefix));
    if let Some(aside) = aside {
        std::fs::rename(aside.path(), target).with_context(|| format!("cannot restore {}", target.display()))?;
    }
    Ok(())
}

/// Writes `bytes` to `target` through a temporary file beside it.
pub fn write_file_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    let staging = sibling(target, "tmp");
    std::fs::write(&staging, bytes).with_context(|| format!("cannot write {}", staging.display()))?;
    std::fs::rename(&staging, target).with_context(|| format!("cannot move {} into place", target.display()))
}

/// `.NAME.KIND-PID` beside `path`.
fn sibling(path: &Path, kind: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{kind}-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_folders_replace_the_target_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("html");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let staged = StagedDir::new(&target).unwrap();
        staged.write("new/page.html", "new").unwrap();
        drop(staged);
        assert!(target.join("old.html").is_file(), "an abandoned build leaves the old folder");
        let staged = StagedDir::new(&target).unwrap();
        staged.write("page.html", "new").unwrap();
        staged.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(target.join("page.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no staging folders left behind");
    }

    #[test]
    fn a_folder_left_aside_by_an_interrupted_commit_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("html");
        let aside = dir.path().join(".html.old-12345");
        std::fs::create_dir(&aside).unwrap();
        std::fs::write(aside.join("index.html"), "previous").unwrap();
        let staged = StagedDir::new(&target).unwrap();
        drop(staged);
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "previous");
        assert!(!aside.exists());
    }

    #[test]
    fn clean_refuses_folders_folio_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = dir.path().join("foreign");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.tex"), "x").unwrap();
        assert!(clean(&foreign).is_err());
        assert!(prepare(&foreign).is_err());
        let out = dir.path().join("out");
        prepare(&out).unwrap();
        assert!(clean(&out).unwrap());
        assert!(!out.exists());
    }
}
