// folio default theme: the HTML edition's script. Dark/light toggle (remembered), search over
// the build-time index (loaded on first use, works from file://), previous/next with the arrow
// keys, copy buttons on code, and the phone menu. The book's own text never runs as script.
(function () {
  "use strict";
  var root = document.documentElement;

  function storedTheme() {
    try { return localStorage.getItem("folio-theme"); } catch (e) { return null; }
  }
  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function setTheme(theme) {
    root.setAttribute("data-theme", theme);
    try { localStorage.setItem("folio-theme", theme); } catch (e) { /* private mode */ }
    var button = document.getElementById("theme-toggle");
    if (button) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
  }

  function initThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    setTheme(storedTheme() || currentTheme());
    button.addEventListener("click", function () { setTheme(currentTheme() === "dark" ? "light" : "dark"); });
  }

  function initMenu() {
    var button = document.getElementById("menu-toggle");
    var sidebar = document.getElementById("sidebar");
    if (!button || !sidebar) return;
    button.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // ---- search
  var index = null;
  var loading = false;
  function loadIndex(then) {
    if (index) return then();
    if (window.folioSearchIndex) { index = window.folioSearchIndex; return then(); }
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = "search-index.js";
    script.onload = function () { index = window.folioSearchIndex || []; then(); };
    document.head.appendChild(script);
  }
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }
  function search(query) {
    var terms = words(query);
    if (terms.length === 0) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var entry = index[i];
      var title = entry.t.toLowerCase();
      var text = entry.x.toLowerCase();
      var score = 0;
      var all = true;
      for (var j = 0; j < terms.length; j++) {
        var inTitle = title.indexOf(terms[j]) >= 0;
        var at = text.indexOf(terms[j]);
        if (!inTitle && at < 0) { all = false; break; }
        score += (inTitle ? 10 : 0) + (at >= 0 ? 1 + Math.min(5, text.split(terms[j]).length - 1) : 0);
      }
      if (all) hits.push({ entry: entry, score: score });
    }
    hits.sort(function (a, b) { return b.score - a.score; });
    return hits.slice(0, 20);
  }
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = -1;
    for (var j = 0; j < terms.length && at < 0; j++) at = lower.indexOf(terms[j]);
    if (at < 0) return text.slice(0, 160);
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 180) + (start + 180 < text.length ? "…" : "");
  }
  function showResults(input, list) {
    var query = input.value.trim();
    list.textContent = "";
    if (!query) { list.hidden = true; return; }
    var hits = search(query);
    var terms = words(query);
    list.hidden = false;
    if (hits.length === 0) {
      var none = document.createElement("li");
      none.className = "search-none";
      none.textContent = "No results for “" + query + "”";
      list.appendChild(none);
      return;
    }
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.entry.u;
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = hit.entry.t;
      var place = document.createElement("span");
      place.className = "search-place";
      place.textContent = hit.entry.c;
      var text = document.createElement("span");
      text.className = "search-snippet";
      text.textContent = snippet(hit.entry.x, terms);
      link.appendChild(title);
      link.appendChild(place);
      link.appendChild(text);
      item.appendChild(link);
      list.appendChild(item);
    });
  }
  function initSearch() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    if (!input || !list) return;
    var update = function () { loadIndex(function () { showResults(input, list); }); };
    input.addEventListener("focus", function () { loadIndex(function () {}); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.click(); }
      } else if (event.key === "Escape") {
        input.value = "";
        showResults(input, list);
        input.blur();
      }
    });
  }

  // ---- keyboard
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
  }
  function initKeys() {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
      if (event.key === "/") {
        var input = document.getElementById("search-input");
        if (input) { event.preventDefault(); input.focus(); }
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        var link = document.querySelector(event.key === "ArrowLeft" ? "a[rel=prev]" : "a[rel=next]");
        if (link) { window.location.href = link.href; }
      }
    });
  }

  // ---- copy buttons
  function copy(text, button) {
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* nothing to do */ }
    document.body.removeChild(area);
  }
  function initCopyButtons() {
    var blocks = document.querySelectorAll("pre.code");
    Array.prototype.forEach.call(blocks, function (pre) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the code");
      button.addEventListener("click", function () { copy((pre.querySelector("code") || pre).textContent, button); });
      pre.appendChild(button);
    });
  }

  function init() {
    initThemeToggle();
    initMenu();
    initSearch();
    initKeys();
    initCopyButtons();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
