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
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}
