//! The `folio` binary: parses the command line, runs the command, prints diagnostics, and turns
//! the outcome into the exit status (0 built, 1 book errors, 2 usage or environment failure).

use clap::{CommandFactory, Parser};
use folio::build::{self, BuildRequest, Report};
use folio::cli::{Cli, Command};
use folio::diag::{self, Severity, Style};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("folio: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let report = match &cli.command {
        Command::Build { book_dir, edition, out } => {
            build::build(&BuildRequest { book_dir: book_dir.clone(), editions: edition.clone(), out: out.clone() })?
        }
        Command::Check { book_dir } => check(book_dir)?,
        Command::Clean { book_dir, out } => build::clean(book_dir, out.clone())?,
        Command::New { dir } => {
            folio::new::new_book(dir)?;
            if !cli.quiet {
                eprintln!("wrote a new book in {}; build it with `folio build {}`", dir.display(), dir.display());
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Serve { book_dir, port, out } => {
            folio::serve::serve(book_dir, *port, out.clone())?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "folio", &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
    };
    Ok(finish(&report, cli.quiet))
}

fn check(book_dir: &std::path::Path) -> anyhow::Result<Report> {
    let mut diags = diag::Diagnostics::default();
    let sources = match build::check(book_dir, &mut diags)? {
        Ok((loaded, _book)) => loaded.sources,
        Err(sources) => sources,
    };
    Ok(Report { sources, diags, written: Vec::new(), out_dir: None })
}

/// Prints the diagnostics and a summary; returns the exit status.
fn finish(report: &Report, quiet: bool) -> ExitCode {
    let style = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Style::Color
    } else {
        Style::Plain
    };
    for diagnostic in report.diags.iter() {
        if quiet && diagnostic.severity == Severity::Warning {
            continue;
        }
        eprint!("{}", diag::render(diagnostic, &report.sources, style));
    }
    let errors = report.diags.count(Severity::Error);
    let warnings = report.diags.count(Severity::Warning);
    if errors > 0 {
        eprintln!("folio: {errors} error(s), {warnings} warning(s); nothing was written");
        return ExitCode::from(1);
    }
    if !quiet {
        for line in &report.written {
            eprintln!("folio: {line}");
        }
        if warnings > 0 {
            eprintln!("folio: {warnings} warning(s)");
        }
    }
    ExitCode::SUCCESS
}
