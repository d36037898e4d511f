//! Raw HTML in Markdown, made well-formed and safe: known elements and attributes are kept as
//! XHTML, unclosed elements closed, stray closing tags dropped, tags of elements HTML does not
//! know (`<Listing>`, `<T>`) dropped with their content kept, and scripts, event handlers,
//! `javascript:` URLs and embedded content removed, each change with a warning at its place
//! (unknown elements once per name, by the caller).

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::Span;

const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];
const VOID: &[&str] = &["br", "hr", "img", "wbr"];
/// Removed together with everything inside them.
const DROPPED_WITH_CONTENT: &[&str] =
    &["script", "style", "iframe", "object", "embed", "template", "noscript", "frame", "frameset", "applet"];
/// Removed, their text kept.
const DROPPED: &[&str] = &[
    "html", "head", "body", "meta", "link", "base", "form", "input", "button", "select", "option", "textarea", "label",
    "svg", "math", "canvas", "audio", "video", "source", "track", "picture", "dialog", "center", "font", "marquee",
    "blink", "nav", "main", "title", "col", "colgroup",
];
/// Elements that may hold paragraphs, lists and other blocks.
const FLOW_CONTAINERS: &[&str] = &[
    "div",
    "details",
    "section",
    "aside",
    "article",
    "header",
    "footer",
    "blockquote",
    "figure",
    "td",
    "th",
    "li",
    "dd",
];
/// Elements of a table's structure, which hold its cells.
const TABLE_PARTS: &[&str] = &["table", "thead", "tbody", "tfoot", "tr"];
const GLOBAL_ATTRIBUTES: &[&str] = &["id", "class", "title", "lang", "dir", "role", "hidden", "translate"];

/// Sanitizes the raw HTML of one container, remembering which elements are still open.
#[derive(Debug, Default)]
pub struct Sanitizer {
    open: Vec<String>,
    skipping: Option<String>,
    /// Names of the unknown elements met since the last [`Sanitizer::take_unknown`].
    unknown: Vec<String>,
    /// A `<details>` was opened and its `<summary>`, which HTML requires first, has not come.
    summary_due: bool,
}

/// The summary written into a `<details>` that has none.
const DEFAULT_SUMMARY: &str = "<summary>Details</summary>";

impl Sanitizer {
    /// Sanitizes one fragment.
    pub fn feed(&mut self, raw: &str, span: Span, diags: &mut Diagnostics) -> String {
        let mut out = String::new();
        let mut rest = raw;
        while !rest.is_empty() {
            let (token, after) = next_token(rest);
            rest = after;
            if let Some(name) = &self.skipping {
                if matches!(&token, Token::Close(n) if n == name) {
                    self.skipping = None;
                }
                continue;
            }
            self.token(token, &mut out, span, diags);
        }
        out
    }

    /// Whether it is inside an element removed with its content (`<script>…</script>`), whose
    /// text must be dropped too.
    pub fn is_skipping(&self) -> bool {
        self.skipping.is_some()
    }

    /// Whether the elements left open may hold Markdown blocks written after them: the
    /// innermost holds flow content and the others hold it or are parts of a table.
    pub fn holds_blocks(&self) -> bool {
        let holds = |name: &String| FLOW_CONTAINERS.contains(&name.as_str());
        self.open.last().is_some_and(holds)
            && self.open.iter().all(|name| holds(name) || TABLE_PARTS.contains(&name.as_str()))
    }

    /// Whether any element is still open.
    pub fn is_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// The names of the elements HTML does not know that were dropped since the last call.
    pub fn take_unknown(&mut self) -> Vec<String> {
        std::mem::take(&mut self.unknown)
    }

    /// Closes whatever is still open at the end of the container.
    pub fn finish(&mut self, span: Span, diags: &mut Diagnostics) -> String {
        let mut out = self.settle_summary();
        while let Some(name) = self.open.pop() {
            diags.warning(span, format!("unclosed <{name}> closed at the end of the block"));
            out.push_str(&format!("</{name}>"));
        }
        self.skipping = None;
        out
    }

    /// The summary a `<details>` still lacks, if it does (written before other content).
    pub fn settle_summary(&mut self) -> String {
        match std::mem::take(&mut self.summary_due) {
            true => DEFAULT_SUMMARY.to_string(),
            false => String::new(),
        }
    }

    fn token(&mut self, token: Token, out: &mut String, span: Span, diags: &mut Diagnostics) {
        if self.summary_due {
            match &token {
                Token::Open { name, .. } if name == "summary" => self.summary_due = false,
                Token::Text(text) if text.trim().is_empty() => {}
                Token::Comment => {}
                _ => out.push_str(&self.settle_summary()),
            }
        }
        match token {
            Token::Text(text) => push_text(out, text),
            Token::Comment => {}
            Token::Open { name, attrs, raw } => self.open_tag(&name, &attrs, raw, out, span, diags),
            Token::Close(name) => self.close_tag(&name, out, span, diags),
        }
    }

    fn open_tag(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        raw: &str,
        out: &mut String,
        span: Span,
        diags: &mut Diagnostics,
    ) {
        if DROPPED_WITH_CONTENT.contains(&name) {
            diags.warning(span, format!("<{name}> was removed with its content"));
            if !raw.ends_with("/>") {
                self.skipping = Some(name.to_string());
            }
            return;
        }
        if DROPPED.contains(&name) {
            diags.warning(span, format!("<{name}> is not allowed in a book and was removed; its text is kept"));
            return;
        }
        if name == "img" {
            diags.push(
                Diagnostic::warning(span, "a raw HTML <img> is replaced by its alternative text")
                    .with_help("write images as Markdown, ![alt](path), so that folio can check and copy them"),
            );
            let alt = attrs.iter().find(|(key, _)| key == "alt").map_or("", |(_, value)| value.as_str());
            push_text(out, alt);
            return;
        }
        if !is_known(name) {
            self.unknown.push(name.to_string());
            return;
        }
        out.push('<');
        out.push_str(name);
        for (key, value) in attrs {
            if let Some(reason) = refused_attribute(name, key, value) {
                diags.warning(span, format!("attribute `{key}` on <{name}> was removed: {reason}"));
                continue;
            }
            let value = if key == "id" { id_value(value) } else { value.clone() };
            if value.is_empty() && key == "id" {
                continue;
            }
            out.push_str(&format!(" {key}=\"{}\"", escape_attr(&value)));
        }
        if VOID.contains(&name) {
            out.push_str("/>");
        } else if raw.ends_with("/>") {
            out.push_str(&format!("></{name}>"));
        } else {
            out.push('>');
            self.open.push(name.to_string());
            self.summary_due = name == "details";
        }
    }

    fn close_tag(&mut self, name: &str, out: &mut String, span: Span, diags: &mut Diagnostics) {
        if VOID.contains(&name) || DROPPED.contains(&name) || !is_known(name) {
            return;
        }
        let Some(index) = self.open.iter().rposition(|open| open == name) else {
            diags.warning(span, format!("closing tag </{name}> has no opening tag and was removed"));
            return;
        };
        while self.open.len() > index + 1 {
            let inner = self.open.pop().unwrap_or_default();
            diags.warning(span, format!("unclosed <{inner}> closed before </{name}>"));
            out.push_str(&format!("</{inner}>"));
        }
        self.open.pop();
        out.push_str(&format!("</{name}>"));
    }
}

fn refused_attribute(element: &str, key: &str, value: &str) -> Option<&'static str> {
    if key.starts_with("on") {
        return Some("event handlers never run in a book");
    }
    let url_attribute = matches!(key, "href" | "src" | "cite");
    let scheme = url_scheme_text(value);
    if url_attribute
        && (scheme.starts_with("javascript:") || scheme.starts_with("vbscript:") || scheme.starts_with("data:text"))
    {
        return Some("script URLs never run in a book");
    }
    let allowed = GLOBAL_ATTRIBUTES.contains(&key)
        || key.starts_with("data-")
        || key.starts_with("aria-")
        || is_custom_element(element)
        || matches!(
            (element, key),
            ("a", "href" | "rel" | "hreflang" | "type")
                | ("td" | "th", "colspan" | "rowspan" | "headers")
                | ("th", "scope")
                | ("ol", "start" | "reversed" | "type")
                | ("li" | "data", "value")
                | ("time" | "del" | "ins", "datetime")
                | ("q" | "blockquote" | "del" | "ins", "cite")
                | ("details", "open")
                | ("abbr" | "dfn", "title")
        );
    (!allowed).then_some("not allowed on this element")
}

/// A URL as a browser reads its scheme: lowercase, without the spaces and control characters
/// around it and the tabs and line breaks inside it (`java&#9;script:` is `javascript:`).
pub fn url_scheme_text(url: &str) -> String {
    url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase()
}

/// An id as HTML allows it: no white space (runs of it become `-`).
fn id_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join("-")
}

/// Raw HTML as the sanitizer wrote it, each `href` passed through `relink`: its new value, or
/// `None` to remove the attribute (the element's content stays).
pub fn relink_raw_html(html: &str, relink: &mut dyn FnMut(&str) -> Option<String>) -> String {
    rewrite_attribute(html, " href=\"", relink)
}

/// Raw HTML as the sanitizer wrote it (every attribute ` key="value"`, the value escaped),
/// each value that follows `opening` (` id="`, ` href="#`) passed through `rewrite`: its new
/// value, or `None` to remove the attribute.
fn rewrite_attribute(html: &str, opening: &str, rewrite: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(opening) {
        let value_start = at + opening.len();
        let Some(value_len) = rest[value_start..].find('"') else { break };
        out.push_str(&rest[..at]);
        if let Some(value) = rewrite(&decode_entities(&rest[value_start..value_start + value_len])) {
            out.push_str(opening);
            out.push_str(&escape_attr(&value));
            out.push('"');
        }
        rest = &rest[value_start + value_len + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether `name` is an element kept in the book: one of HTML's, or a custom element.
fn is_known(name: &str) -> bool {
    ELEMENTS.contains(&name) || is_custom_element(name) || DROPPED.contains(&name) || name == "img"
}

/// An HTML block that only opens an element HTML does not know (`<Listing caption="…">`):
/// the Markdown blocks up to its closing tag are its content.
#[derive(Debug, PartialEq, Eq)]
pub struct Wrapper {
    /// The element's name, lowercase.
    pub name: String,
    /// Its caption: the `caption` attribute, after "Name N: " when it has a `number` too
    /// (`<Listing number="1-2" caption="…">` → "Listing 1-2: …").
    pub caption: Option<String>,
}

/// The wrapper that `raw`, a whole HTML block, opens, if it is one.
pub fn wrapper(raw: &str) -> Option<Wrapper> {
    let raw = raw.trim();
    match tag(raw) {
        Some((Token::Open { name, attrs, raw: written }, len)) if len == raw.len() && !written.ends_with("/>") => {
            let known = is_known(&name) || DROPPED_WITH_CONTENT.contains(&name.as_str());
            let attr = |wanted: &str| attrs.iter().find(|(key, _)| key == wanted).map(|(_, value)| value.clone());
            let caption = match (attr("number"), attr("caption")) {
                (Some(number), Some(caption)) => Some(format!("{} {number}: {caption}", &written[1..=name.len()])),
                (_, caption) => caption,
            };
            (!known).then_some(Wrapper { name, caption })
        }
        _ => None,
    }
}

/// Whether `raw`, a whole HTML block, only closes the element `name`.
pub fn closes(raw: &str, name: &str) -> bool {
    let raw = raw.trim();
    matches!(tag(raw), Some((Token::Close(closed), len)) if len == raw.len() && closed == name)
}

/// Raw HTML as the sanitizer wrote it, each `id` renamed by `rename` (and, with `fragments`,
/// each `href="#…"` too, so that links inside it follow).
pub fn rename_raw_ids(html: &str, fragments: bool, rename: &mut dyn FnMut(&str) -> String) -> String {
    let renamed = rewrite_attribute(html, " id=\"", &mut |id| Some(rename(id)));
    match fragments {
        true => rewrite_attribute(&renamed, " href=\"#", &mut |id| Some(rename(id))),
        false => renamed,
    }
}

/// The ids of raw HTML as the sanitizer wrote it.
pub fn raw_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    rename_raw_ids(html, false, &mut |id| {
        ids.push(id.to_string());
        id.to_string()
    });
    ids
}

/// A valid custom element name: lowercase, starts with a letter, contains a dash.
fn is_custom_element(name: &str) -> bool {
    name.contains('-')
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_'))
}

enum Token<'a> {
    Text(&'a str),
    Comment,
    Open { name: String, attrs: Vec<(String, String)>, raw: &'a str },
    Close(String),
}

/// The next token of `text` and the rest.
fn next_token(text: &str) -> (Token<'_>, &str) {
    if let Some(after) = text.strip_prefix("<!--") {
        let end = after.find("-->").map_or(after.len(), |i| i + 3);
        return (Token::Comment, &after[end..]);
    }
    if text.starts_with("<!") || text.starts_with("<?") {
        let end = text.find('>').map_or(text.len(), |i| i + 1);
        return (Token::Comment, &text[end..]);
    }
    if text.starts_with('<')
        && let Some((token, len)) = tag(text)
    {
        return (token, &text[len..]);
    }
    let first = text.chars().next().map_or(text.len(), char::len_utf8);
    let end = text[first..].find('<').map_or(text.len(), |i| i + first);
    (Token::Text(&text[..end]), &text[end..])
}

/// Parses a tag at the start of `text`: the token and its length.
fn tag(text: &str) -> Option<(Token<'_>, usize)> {
    let closing = text.starts_with("</");
    let body_start = if closing { 2 } else { 1 };
    let name_len =
        text[body_start..].find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(0);
    if name_len == 0 || !text[body_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = text[body_start..body_start + name_len].to_ascii_lowercase();
    let end = tag_end(text)?;
    if closing {
        return Some((Token::Close(name), end));
    }
    let attrs = attributes(&text[body_start + name_len..end - 1]);
    Some((Token::Open { name, attrs, raw: &text[..end] }, end))
}

/// The length of the tag at the start of `text`, up to its `>` outside quotes.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, '<') if i > 0 => return None,
            _ => {}
        }
    }
    None
}

fn attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut rest = text.trim_end_matches('/').trim_start();
    while !rest.is_empty() {
        let key_len = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len()).max(1);
        let key = rest[..key_len].to_ascii_lowercase();
        rest = rest[key_len..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let after = after.trim_start();
                let (value, len) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let end = after[1..].find(q).map_or(after.len(), |i| i + 1);
                        (&after[1..end], (end + 1).min(after.len()))
                    }
                    _ => {
                        let end = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..end], end)
                    }
                };
                rest = &after[len..];
                decode_entities(value)
            }
            None => key.clone(),
        };
        let valid_key = key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'));
        if valid_key && !attrs.iter().any(|(k, _)| *k == key) {
            attrs.push((key, value));
        }
        rest = rest.trim_start_matches('/').trim_start();
    }
    attrs
}

/// Writes text, escaping markup characters and turning HTML entities into characters (XHTML
/// knows only the five XML entities).
fn push_text(out: &mut String, text: &str) {
    let decoded = decode_entities(text);
    for c in decoded.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn escape_attr(value: &str) -> String {
    value.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Replaces `&name;`, `&#123;` and `&#x1F;` with their characters; unknown entities stay as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..].find(';').filter(|&i| i <= 32).and_then(|i| Some((entity(&rest[1..=i])?, i + 2)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "plusmn" => '±',
        "middot" => '·',
        "bull" => '•',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "minus" => '−',
        "shy" => '\u{ad}',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "micro" => 'µ',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "infin" => '∞',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Source, SourceMap};

    fn clean(raw: &str) -> (String, usize) {
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("a.md", raw));
        let mut diags = Diagnostics::default();
        let mut sanitizer = Sanitizer::default();
        let span = Span::new(id, 0..raw.len());
        let mut out = sanitizer.feed(raw, span, &mut diags);
        out.push_str(&sanitizer.finish(span, &mut diags));
        (out, diags.iter().count())
    }

    #[test]
    fn keeps_known_elements_as_xhtml() {
        assert_eq!(clean("<kbd>Ctrl</kbd>+<br>x &copy; &nbsp;"), ("<kbd>Ctrl</kbd>+<br/>x © \u{a0}".into(), 0));
        assert_eq!(clean("<span class=\"filename\">a.rs</span>"), ("<span class=\"filename\">a.rs</span>".into(), 0));
    }

    #[test]
    fn repairs_unclosed_and_stray_tags() {
        assert_eq!(clean("<div><p>x</div></em>"), ("<div><p>x</p></div>".into(), 2));
        assert_eq!(clean("<div>open"), ("<div>open</div>".into(), 1));
    }

    #[test]
    fn removes_scripts_handlers_and_script_urls() {
        assert_eq!(clean("a<script>alert(1)</script>b").0, "ab");
        assert_eq!(clean("<img src=x onerror=alert(1) alt=\"a cat\">").0, "a cat");
        assert_eq!(clean("<a href=\"javascript:alert(1)\">x</a>").0, "<a>x</a>");
        assert_eq!(clean("<iframe src=\"https://e.com\"></iframe>ok").0, "ok");
        assert_eq!(clean("<a href=\"java&#9;script:alert(1)\">x</a>").0, "<a>x</a>");
        assert_eq!(clean("<a href=\" JAVA\nSCRIPT:alert(1)\">x</a>").0, "<a>x</a>");
    }

    #[test]
    fn text_after_a_tag_may_start_with_any_character() {
        assert_eq!(clean("<b>é</b>ü<i>ß").0, "<b>é</b>ü<i>ß</i>");
    }

    #[test]
    fn unknown_elements_keep_their_content() {
        let mut sanitizer = Sanitizer::default();
        let mut sources = SourceMap::default();
        let id = sources.add(Source::new("a.md", ""));
        let mut diags = Diagnostics::default();
        let out = sanitizer.feed("<Listing number=\"1\">x</Listing> Vec<T>", Span::new(id, 0..0), &mut diags);
        assert_eq!(out, "x Vec");
        assert_eq!(sanitizer.take_unknown(), ["listing", "t"]);
        assert_eq!(diags.iter().count(), 0);
        assert_eq!(clean("<my-widget size=\"2\">x</my-widget>").0, "<my-widget size=\"2\">x</my-widget>");
        assert_eq!(clean("a < b & c \"q\"").0, "a &lt; b &amp; c &quot;q&quot;");
    }

    #[test]
    fn wrappers_are_html_blocks_that_only_open_an_unknown_element() {
        let listing = wrapper("<Listing number=\"1-2\" caption=\"Hello &amp; bye\">\n");
        assert_eq!(listing, Some(Wrapper { name: "listing".into(), caption: Some("Listing 1-2: Hello & bye".into()) }));
        assert_eq!(
            wrapper("<Note caption=\"Why\">"),
            Some(Wrapper { name: "note".into(), caption: Some("Why".into()) })
        );
        assert_eq!(wrapper("<figure-box caption=\"A\">"), None, "a custom element is an element");
        assert_eq!(wrapper("<div class=\"x\">"), None);
        assert_eq!(wrapper("<Listing>text"), None);
        assert!(closes("</Listing>\n", "listing"));
        assert!(!closes("</Listing> x", "listing"));
    }

    #[test]
    fn details_always_open_with_a_summary() {
        assert_eq!(clean("<details>\n<p>x</p></details>").0, "<details>\n<summary>Details</summary><p>x</p></details>");
        assert_eq!(clean("<details> <summary>S</summary>x</details>").0, "<details> <summary>S</summary>x</details>");
        assert_eq!(clean("<details>").0, "<details><summary>Details</summary></details>");
    }

    #[test]
    fn ids_lose_white_space_and_links_can_be_removed() {
        assert_eq!(clean("<h2 id=\"my header\">x</h2><p id=\" \">y</p>").0, "<h2 id=\"my-header\">x</h2><p>y</p>");
        let html = "<a class=\"x\" href=\"#gone\">a</a> <a href=\"#here\">b</a>";
        let relinked = relink_raw_html(html, &mut |href| (href != "#gone").then(|| href.to_string()));
        assert_eq!(relinked, "<a class=\"x\">a</a> <a href=\"#here\">b</a>");
    }

    #[test]
    fn raw_ids_are_found_and_renamed() {
        let html = "<a id=\"x\" href=\"#x\">say id=&quot;y&quot;</a><span id=\"a&amp;b\"></span>";
        assert_eq!(raw_ids(html), ["x", "a&b"]);
        let renamed = rename_raw_ids(html, true, &mut |id| format!("p--{id}"));
        assert_eq!(renamed, "<a id=\"p--x\" href=\"#p--x\">say id=&quot;y&quot;</a><span id=\"p--a&amp;b\"></span>");
    }
}
