//! `folio serve`: serves the HTML edition on 127.0.0.1, rebuilds when a chapter is saved, and
//! keeps the last good pages when the book has errors.

mod common;

use common::copy_fixture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn wait_for(address: &str, path: &str, wanted: &str) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if get(address, path).contains(wanted) {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn saving_a_chapter_updates_the_served_page() {
    let (_temp, book) = copy_fixture("xref");
    let child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["serve", book.to_str().unwrap(), "--port", "0"])
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .expect("folio serve starts");
    let mut server = Server(child);
    let stderr = server.0.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("serving http://")
                .nth(1)
                .map(|rest| rest.trim_end_matches(|c| c != '/').trim_end_matches('/').to_string())
        })
        .expect("the server prints its address");
    std::thread::spawn(move || lines.for_each(drop));

    let page = get(&address, "/one.html");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("/__folio/live.js"), "pages carry the live-reload script");
    assert!(get(&address, "/__folio/live.js").contains("EventSource"));
    assert!(get(&address, "/../book.toml").starts_with("HTTP/1.1 404"), "nothing outside the site is served");

    let chapter = book.join("chapters/one.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nA freshly written paragraph.\n")).unwrap();
    let took = wait_for(&address, "/one.html", "A freshly written paragraph.").expect("the page is rebuilt");
    eprintln!("save to served page: {} ms", took.as_millis());

    std::fs::write(&chapter, format!("{text}\nA broken reference to @fig-nowhere.\n")).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let page = get(&address, "/one.html");
    assert!(page.contains("A freshly written paragraph."), "the last good page stays while the book has errors");
}
