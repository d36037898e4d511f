//! `folio serve`: builds the HTML edition, serves it on 127.0.0.1, watches the book and
//! rebuilds on change. Open pages reload through server-sent events; a build error shows in
//! the page and in the terminal, and the last good pages stay.

use crate::build::{BuildRequest, Report};
use crate::diag::{self, Style};
use crate::manifest::Edition;
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The script added to every served page: reload on a new build, show a failed one.
const LIVE_SCRIPT: &str = r#"(function () {
  var source = new EventSource("/__folio/events");
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("failed", function (event) {
    var box = document.getElementById("folio-build-error") || document.createElement("pre");
    box.id = "folio-build-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:50vh;overflow:auto;z-index:100;" +
      "background:#3b0d0d;color:#ffecec;padding:1rem;border-radius:6px;font:13px/1.4 monospace;white-space:pre-wrap";
    box.textContent = "The book has errors; showing the last good build.\n\n" + JSON.parse(event.data);
    document.body.appendChild(box);
  });
})();
"#;

/// Clients waiting for build events.
type Listeners = Arc<Mutex<Vec<Sender<String>>>>;

/// Serves the book in `book_dir` on `port` until interrupted.
pub fn serve(book_dir: &Path, port: u16, out: Option<PathBuf>) -> Result<()> {
    let request = BuildRequest {
        book_dir: book_dir.to_path_buf(),
        editions: vec![Edition::Html],
        out,
        ..BuildRequest::default()
    };
    let first = crate::build::build(&request)?;
    print_report(&first);
    let Some(out) = first.out_dir else {
        anyhow::bail!("the book has errors; fix them and run `folio serve` again");
    };
    let site = out.join("html");
    let listener =
        TcpListener::bind(("127.0.0.1", port)).with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let address = listener.local_addr()?;
    eprintln!("folio: serving http://{address}/ (Ctrl-C to stop)");
    let listeners: Listeners = Arc::default();
    let (changes, changed) = channel();
    let _watcher = watch(book_dir, &site, changes)?;
    let rebuild_listeners = Arc::clone(&listeners);
    std::thread::spawn(move || rebuild_loop(&request, &changed, &rebuild_listeners));
    for stream in listener.incoming().flatten() {
        let site = site.clone();
        let listeners = Arc::clone(&listeners);
        std::thread::spawn(move || {
            let _ = respond(stream, &site, &listeners);
        });
    }
    Ok(())
}

fn print_report(report: &Report) {
    for diagnostic in report.diags.iter() {
        eprint!("{}", diag::render(diagnostic, &report.sources, Style::Plain));
    }
}

/// Watches the book's folder, ignoring the output folder.
fn watch(book_dir: &Path, site: &Path, changes: Sender<()>) -> Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let ignored = site.parent().map(Path::to_path_buf).unwrap_or_default();
    let ignored = ignored.canonicalize().unwrap_or(ignored);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        if event.paths.iter().any(|p| !p.starts_with(&ignored)) {
            let _ = changes.send(());
        }
    })?;
    watcher.watch(book_dir, RecursiveMode::Recursive)?;
    Ok(watcher)
}

/// Rebuilds after each burst of changes and tells the open pages.
fn rebuild_loop(request: &BuildRequest, changed: &Receiver<()>, listeners: &Listeners) {
    while changed.recv().is_ok() {
        while changed.recv_timeout(Duration::from_millis(2)).is_ok() {}
        let started = Instant::now();
        let (event, data) = match crate::build::build(request) {
            Ok(report) if !report.diags.has_errors() => {
                print_report(&report);
                eprintln!("folio: rebuilt in {} ms", started.elapsed().as_millis());
                ("reload", String::new())
            }
            Ok(report) => {
                print_report(&report);
                let text: String =
                    report.diags.iter().map(|d| diag::render(d, &report.sources, Style::Plain)).collect();
                ("failed", text)
            }
            Err(error) => {
                eprintln!("folio: error: {error:#}");
                ("failed", format!("{error:#}"))
            }
        };
        let message = format!("event: {event}\ndata: {}\n\n", serde_json::to_string(&data).unwrap_or_default());
        if let Ok(mut all) = listeners.lock() {
            all.retain(|listener| listener.send(message.clone()).is_ok());
        }
    }
}

fn respond(mut stream: TcpStream, site: &Path, listeners: &Listeners) -> Result<()> {
    let mut line = String::new();
    BufReader::new(stream.try_clone()?).read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/").to_string();
    match path.as_str() {
        "/__folio/events" => events(stream, listeners),
        "/__folio/live.js" => send(&mut stream, "200 OK", "text/javascript", LIVE_SCRIPT.as_bytes()),
        _ => file(&mut stream, site, &path),
    }
}

fn events(mut stream: TcpStream, listeners: &Listeners) -> Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: connected\n\n")?;
    let (sender, receiver) = channel();
    if let Ok(mut all) = listeners.lock() {
        all.push(sender);
    }
    for message in receiver {
        stream.write_all(message.as_bytes())?;
    }
    Ok(())
}

fn file(stream: &mut TcpStream, site: &Path, url_path: &str) -> Result<()> {
    let decoded = percent_decode(url_path);
    let relative = decoded.trim_start_matches('/');
    let safe = !relative.split('/').any(|part| part == ".." || part.starts_with('.'));
    let mut path = site.join(if relative.is_empty() { "index.html" } else { relative });
    if path.is_dir() {
        path = path.join("index.html");
    }
    match read_settled(&path).filter(|_| safe) {
        Some(bytes) => send(stream, "200 OK", content_type(&path), &with_live_script(&path, bytes)),
        None => {
            let page = std::fs::read(site.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
            send(stream, "404 Not Found", "text/html; charset=utf-8", &with_live_script(Path::new("404.html"), page))
        }
    }
}

/// The file's bytes; a file missing for a moment while a rebuild swaps the site in is waited
/// for, briefly.
fn read_settled(path: &Path) -> Option<Vec<u8>> {
    for _ in 0..10 {
        match std::fs::read(path) {
            Ok(bytes) => return Some(bytes),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    None
}

fn with_live_script(path: &Path, bytes: Vec<u8>) -> Vec<u8> {
    if path.extension().is_none_or(|e| e != "html") {
        return bytes;
    }
    let page = String::from_utf8_lossy(&bytes);
    page.replacen("</body>", "<script src=\"/__folio/live.js\"></script>\n</body>", 1).into_bytes()
}

fn send(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) -> Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    Ok(())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        "epub" => "application/epub+zip",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex =
            (bytes[i] == b'%').then(|| text.get(i + 1..i + 3)).flatten().and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_decoded() {
        assert_eq!(percent_decode("/a%20b.html"), "/a b.html");
        assert_eq!(percent_decode("/%zz"), "/%zz");
    }

    #[test]
    fn pages_get_the_live_script() {
        let page = with_live_script(Path::new("a.html"), b"<body>x</body>".to_vec());
        assert_eq!(String::from_utf8(page).unwrap(), "<body>x<script src=\"/__folio/live.js\"></script>\n</body>");
        assert_eq!(with_live_script(Path::new("a.css"), b"</body>".to_vec()), b"</body>");
    }
}
