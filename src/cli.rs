//! The command line: arguments → a [`Command`]. Reads no files.

use crate::manifest::Edition;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// folio builds a Markdown book into an EPUB 3, a PDF typeset by Typst, and an HTML site.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors and warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more about what is done.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How to print diagnostics: `human` (default), `github` (also workflow annotations on
    /// stdout; the default when GITHUB_ACTIONS=true), or `json` (one object per line on stdout).
    #[arg(long, global = true, value_enum)]
    pub message_format: Option<MessageFormat>,
    /// The repository that holds an mdBook: its includes may reach files anywhere inside it
    /// (default: the enclosing git work tree).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// rustc-style text on stderr.
    Human,
    /// Text on stderr and GitHub Actions annotations on stdout.
    Github,
    /// One JSON object per diagnostic on stdout.
    Json,
}

impl Cli {
    /// The message format asked for, or GitHub's when running in GitHub Actions.
    pub fn message_format(&self) -> MessageFormat {
        self.message_format.unwrap_or_else(|| {
            if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
                MessageFormat::Github
            } else {
                MessageFormat::Human
            }
        })
    }

    /// The book folder the command works on, if any.
    pub fn book_dir(&self) -> Option<&std::path::Path> {
        match &self.command {
            Command::Build { book_dir, .. }
            | Command::Check { book_dir }
            | Command::Serve { book_dir, .. }
            | Command::Release { book_dir, .. }
            | Command::Clean { book_dir, .. }
            | Command::New { from_mdbook: Some(book_dir), .. } => Some(book_dir),
            Command::New { .. } | Command::Completions { .. } => None,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the editions named in the manifest (or --edition) into the output folder.
    Build {
        /// The book's folder (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Editions to build, e.g. `--edition html,epub`.
        #[arg(long, value_delimiter = ',')]
        edition: Vec<Edition>,
        /// Output folder (default: the manifest's, `out/` beside book.toml).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the PDF edition's Typst project to OUT/typst/ (compiles with the Typst CLI).
        #[arg(long)]
        keep_typst: bool,
    },
    /// Load, parse and resolve everything, report every problem, write nothing.
    Check {
        /// The book's folder (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// Preview the HTML edition on localhost and rebuild on change.
    Serve {
        /// The book's folder (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Output folder (default: the manifest's).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build every edition with a version and write dist/ with checksums, for a release.
    Release {
        /// The book's folder (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// The version (default: `git describe --tags`).
        #[arg(long)]
        version: Option<String>,
        /// Where to write the release files (default: BOOK_DIR/dist).
        #[arg(long)]
        dist: Option<PathBuf>,
    },
    /// Remove the output folder, and nothing else.
    Clean {
        /// The book's folder (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Output folder (default: the manifest's).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a minimal book that builds.
    New {
        /// Folder to create.
        dir: PathBuf,
        /// Make the new book from this mdBook (its files copied, its SUMMARY.md the manifest).
        #[arg(long, value_name = "MDBOOK_DIR")]
        from_mdbook: Option<PathBuf>,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}
