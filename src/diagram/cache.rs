//! The diagram cache: finished SVGs under `OUT/.cache/diagrams/`, one file per content hash,
//! so that a build redraws only the diagrams that changed.
//!
//! The key covers everything a drawing depends on: the engine and its version, folio's
//! drawing code (the text of `src/diagram/`), the palette, the id prefix and the source. Entries are written atomically and
//! checked again when read; a build removes the entries it did not use.

use super::svg;
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A folder of drawn diagrams.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
}

/// The hex SHA-256 of `parts`, each length-prefixed so that no two lists collide.
pub fn hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Cache {
    /// Opens (creating it if needed) the cache in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the diagram cache {}", dir.display()))?;
        Ok(Cache { dir: dir.to_path_buf() })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.svg"))
    }

    /// The SVG stored under `key`, if it is there and still passes the checks.
    pub fn get(&self, key: &str, prefix: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.path(key)).ok()?;
        svg::check(&text, prefix).ok()?;
        Some(text)
    }

    /// Stores `svg` under `key`.
    pub fn put(&self, key: &str, svg: &str) -> Result<()> {
        crate::output::write_file_atomic(&self.path(key), svg.as_bytes())
    }

    /// Removes every entry whose key is not in `used`.
    pub fn retain(&self, used: &HashSet<&str>) -> Result<()> {
        let entries = std::fs::read_dir(&self.dir)
            .with_context(|| format!("cannot read the diagram cache {}", self.dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            let stale = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".svg"))
                .is_some_and(|key| !used.contains(key));
            if stale {
                std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_unambiguous() {
        assert_eq!(hash(&["ab", "c"]), hash(&["ab", "c"]));
        assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
        assert_eq!(hash(&[]).len(), 64);
    }

    #[test]
    fn stores_reads_and_prunes_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(&dir.path().join("diagrams")).unwrap();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"dg-1\"/>";
        cache.put("k1", svg).unwrap();
        cache.put("k2", svg).unwrap();
        assert_eq!(cache.get("k1", "dg-1").as_deref(), Some(svg));
        assert_eq!(cache.get("k1", "dg-other"), None);
        assert_eq!(cache.get("k3", "dg-1"), None);
        cache.retain(&HashSet::from(["k1"])).unwrap();
        assert!(cache.get("k2", "dg-1").is_none());
        assert!(cache.get("k1", "dg-1").is_some());
    }
}
