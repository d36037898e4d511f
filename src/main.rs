//! The `folio` binary: parses the command line, runs the command, prints diagnostics, and turns
//! the outcome into the exit status (0 built, 1 book errors, 2 usage or environment failure).

use clap::{CommandFactory, Parser};
use folio::build::{self, BuildRequest, Report};
use folio::cli::{Cli, Command, MessageFormat};
use folio::diag::{self, Severity, Style};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(error) => {
            say_err(&format!("folio: error: {error:#}\n"));
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    if let Some(root) = &cli.root {
        anyhow::ensure!(root.is_dir(), "--root {} is not a folder", root.display());
        folio::root::set_repository(root.clone());
    }
    let report = match &cli.command {
        Command::Build { book_dir, edition, out, keep_typst } => build::build(&BuildRequest {
            book_dir: book_dir.clone(),
            editions: edition.clone(),
            out: out.clone(),
            version: None,
            keep_typst: *keep_typst,
            quiet: cli.quiet,
        })?,
        Command::Check { book_dir } => check(book_dir)?,
        Command::Release { book_dir, version, dist } => folio::release::release(&folio::release::ReleaseRequest {
            book_dir: book_dir.clone(),
            version: version.clone(),
            dist: dist.clone(),
        })?,
        Command::Clean { book_dir, out } => build::clean(book_dir, out.clone())?,
        Command::New { dir, from_mdbook: Some(from) } => folio::mdbook::convert::new_from_mdbook(from, dir)?,
        Command::New { dir, from_mdbook: None } => {
            folio::new::new_book(dir)?;
            if !cli.quiet {
                say_err(&format!(
                    "wrote a new book in {}; build it with `folio build {}`\n",
                    dir.display(),
                    dir.display()
                ));
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
    Ok(finish(&report, cli))
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
fn finish(report: &Report, cli: &Cli) -> ExitCode {
    let quiet = cli.quiet;
    let format = cli.message_format();
    let book_dir = cli.book_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    let style = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Style::Color
    } else {
        Style::Plain
    };
    let grouped = diag::group(&report.diags, cli.verbose > 0 || format == MessageFormat::Json);
    for (index, diagnostic) in report.diags.iter().enumerate() {
        if quiet && diagnostic.severity == Severity::Warning {
            continue;
        }
        match format {
            MessageFormat::Json => say(&diag::render_json(diagnostic, &report.sources)),
            MessageFormat::Github => {
                if grouped.shown[index] {
                    say_err(&diag::render(diagnostic, &report.sources, style));
                }
                say(&diag::render_github(diagnostic, &report.sources, &book_dir));
            }
            MessageFormat::Human if grouped.shown[index] => say_err(&diag::render(diagnostic, &report.sources, style)),
            MessageFormat::Human => {}
        }
        if let Some(more) = grouped.more.get(&index) {
            say_err(&format!("     … and {more} more like this (-v shows all)\n"));
        }
    }
    let errors = report.diags.count(Severity::Error);
    let warnings = report.diags.count(Severity::Warning);
    if errors > 0 {
        say_err(&format!("folio: {errors} error(s), {warnings} warning(s); nothing was written\n"));
        return ExitCode::from(1);
    }
    if !quiet {
        for line in &report.written {
            say_err(&format!("folio: {line}\n"));
        }
        if warnings > 0 {
            say_err(&format!("folio: {warnings} warning(s): {}\n", diag::kinds_summary(&grouped.kinds)));
        }
    }
    ExitCode::SUCCESS
}

/// Writes to standard output; a closed pipe (`folio check --message-format json | head`) is
/// not worth a panic.
fn say(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}

/// Writes to standard error, ignoring a closed pipe.
fn say_err(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}
