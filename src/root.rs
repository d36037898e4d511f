//! The book root: turns paths written by the author into root-relative paths, and proves that
//! each one stays inside the root (symbolic links included) and names an existing file. An
//! mdBook's includes may also reach the repository that holds the book: the enclosing git work
//! tree, or the folder named with `--root`.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// The canonical folder that holds `book.toml`, and the repository around it.
#[derive(Clone, Debug)]
pub struct BookRoot {
    canonical: PathBuf,
    repository: PathBuf,
}

/// The repository folder named on the command line (`--root`), for every book of the run.
static REPOSITORY: OnceLock<PathBuf> = OnceLock::new();

/// Names the folder that bounds an mdBook's includes instead of the enclosing git work tree.
/// Returns `false` when a folder was named already.
pub fn set_repository(dir: PathBuf) -> bool {
    REPOSITORY.set(dir).is_ok()
}

/// Why an author's path was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathProblem {
    /// Empty, absolute, or with a URL scheme.
    NotRelative,
    /// Nothing exists there.
    NotFound(String),
    /// It is a folder where a file belongs.
    Folder(String),
    /// It resolves outside the book root.
    Outside(String),
}

impl std::fmt::Display for PathProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathProblem::NotRelative => {
                write!(f, "the path must be relative to the file that names it")
            }
            PathProblem::NotFound(p) => write!(f, "file not found: {p}"),
            PathProblem::Folder(p) => write!(f, "{p} is a folder, not a file"),
            PathProblem::Outside(p) => write!(f, "{p} is outside the book's root folder"),
        }
    }
}

impl BookRoot {
    /// The root at `dir`, which must exist.
    pub fn new(dir: &Path) -> std::io::Result<Self> {
        let canonical = dir.canonicalize()?;
        let named = REPOSITORY.get().map(|dir| dir.canonicalize()).transpose()?;
        let repository = match named {
            Some(named) if canonical.starts_with(&named) => named,
            Some(named) => {
                let message = format!("--root {} does not hold the book {}", named.display(), canonical.display());
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, message));
            }
            None => git_work_tree(&canonical).unwrap_or_else(|| canonical.clone()),
        };
        Ok(BookRoot { canonical, repository })
    }

    /// The canonical absolute path of the root.
    pub fn path(&self) -> &Path {
        &self.canonical
    }

    /// The absolute path of a root-relative path.
    pub fn join(&self, relative: &str) -> PathBuf {
        self.canonical.join(relative)
    }

    /// Resolves `written`, relative to the folder `base` (root-relative, "" for the root), to a
    /// root-relative `/`-separated path of an existing file inside the root.
    pub fn resolve_file(&self, base: &str, written: &str) -> Result<String, PathProblem> {
        self.resolve_within(&self.canonical, base, written)
    }

    /// Like [`Self::resolve_file`], but the file may lie anywhere in the repository that holds
    /// the book; a path outside the root comes back with leading `../`.
    pub fn resolve_in_repository(&self, base: &str, written: &str) -> Result<String, PathProblem> {
        self.resolve_within(&self.repository, base, written)
    }

    fn resolve_within(&self, boundary: &Path, base: &str, written: &str) -> Result<String, PathProblem> {
        let written_path = Path::new(written);
        if written.is_empty() || written_path.is_absolute() || written.contains("://") {
            return Err(PathProblem::NotRelative);
        }
        let lexical = lexical_join(base, written_path);
        let full = self.canonical.join(&lexical);
        let display = lexical.to_string_lossy().replace('\\', "/");
        let Ok(canonical) = full.canonicalize() else {
            if !lexical_inside(&lexical) && boundary == self.canonical {
                return Err(PathProblem::Outside(written.to_string()));
            }
            return Err(PathProblem::NotFound(display));
        };
        if !canonical.starts_with(boundary) {
            return Err(PathProblem::Outside(written.to_string()));
        }
        if canonical.is_dir() {
            return Err(PathProblem::Folder(display));
        }
        Ok(self.relative(&canonical))
    }

    /// The root-relative `/`-separated path of `canonical`, a path inside the repository.
    fn relative(&self, canonical: &Path) -> String {
        let depth = self.canonical.strip_prefix(&self.repository).map_or(0, |inner| inner.components().count());
        let (climb, inner) = match canonical.strip_prefix(&self.canonical) {
            Ok(inner) => (0, inner),
            Err(_) => (depth, canonical.strip_prefix(&self.repository).unwrap_or(canonical)),
        };
        format!("{}{}", "../".repeat(climb), inner.to_string_lossy().replace('\\', "/"))
    }
}

/// The nearest folder at or above `dir` that holds `.git`: the git work tree.
fn git_work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|folder| folder.join(".git").exists()).map(Path::to_path_buf)
}

/// `base/written`, with `.` and `..` folded where possible (a leading `..` stays).
fn lexical_join(base: &str, written: &Path) -> PathBuf {
    let mut parts: Vec<Component> = Vec::new();
    for component in Path::new(base).components().chain(written.components()) {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

fn lexical_inside(path: &Path) -> bool {
    !matches!(path.components().next(), Some(Component::ParentDir))
}

/// The parent folder of a root-relative path ("" at the root).
pub fn parent_of(relative: &str) -> &str {
    relative.rfind('/').map_or("", |i| &relative[..i])
}

/// The relative URL from a file in folder `from_dir` to `target` (both root-relative).
pub fn relative_url(from_dir: &str, target: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    url.push_str(&to[common..].join("/"));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> (tempfile::TempDir, BookRoot) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("book/chapters")).unwrap();
        std::fs::write(dir.path().join("book/chapters/one.md"), "# One").unwrap();
        std::fs::write(dir.path().join("secret.md"), "# Secret").unwrap();
        let root = BookRoot::new(&dir.path().join("book")).unwrap();
        (dir, root)
    }

    #[test]
    fn resolves_paths_relative_to_their_folder() {
        let (_dir, root) = book();
        assert_eq!(root.resolve_file("", "chapters/one.md").unwrap(), "chapters/one.md");
        assert_eq!(root.resolve_file("chapters", "./one.md").unwrap(), "chapters/one.md");
        assert_eq!(root.resolve_file("chapters", "../chapters/one.md").unwrap(), "chapters/one.md");
    }

    #[test]
    fn refuses_paths_that_leave_the_root() {
        let (_dir, root) = book();
        assert!(matches!(root.resolve_file("", "../secret.md"), Err(PathProblem::Outside(_))));
        assert!(matches!(root.resolve_file("", "../nothing.md"), Err(PathProblem::Outside(_))));
        assert_eq!(root.resolve_file("", "/etc/passwd"), Err(PathProblem::NotRelative));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symbolic_links_that_point_outside() {
        let (dir, root) = book();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), dir.path().join("book/link.md")).unwrap();
        assert!(matches!(root.resolve_file("", "link.md"), Err(PathProblem::Outside(_))));
    }

    #[test]
    fn the_repository_bounds_what_may_be_reached_outside_the_root() {
        let (dir, _) = book();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("book/src")).unwrap();
        let root = BookRoot::new(&dir.path().join("book")).unwrap();
        assert_eq!(root.resolve_in_repository("src", "../../secret.md").unwrap(), "../secret.md");
        assert_eq!(root.resolve_in_repository("src", "../chapters/one.md").unwrap(), "chapters/one.md");
        assert!(matches!(root.resolve_file("src", "../../secret.md"), Err(PathProblem::Outside(_))));
        assert!(matches!(
            root.resolve_in_repository("", "../../x.md"),
            Err(PathProblem::NotFound(_) | PathProblem::Outside(_))
        ));
        assert_eq!(std::fs::read_to_string(root.join("../secret.md")).unwrap(), "# Secret");
    }

    #[test]
    fn names_missing_files_and_folders() {
        let (_dir, root) = book();
        assert_eq!(root.resolve_file("", "chapters/two.md"), Err(PathProblem::NotFound("chapters/two.md".into())));
        assert_eq!(root.resolve_file("", "chapters"), Err(PathProblem::Folder("chapters".into())));
    }

    #[test]
    fn relative_urls_climb_out_of_the_page_folder() {
        assert_eq!(relative_url("", "images/a.png"), "images/a.png");
        assert_eq!(relative_url("chapters", "images/a.png"), "../images/a.png");
        assert_eq!(relative_url("a/b", "a/c/x.png"), "../c/x.png");
    }
}
