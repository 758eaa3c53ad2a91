// The site's search box in the header. It reads the sharded index that the
// build writes into search/ (format and hashing: hooks/ledgerlib/search.py;
// the two files must agree). A query fetches only the shards of its
// character pairs, so the first results do not wait for the whole index.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.Map) return;
  var SITE = new URL("../../", script.src); // this file is assets/js/search.js
  var INDEX = new URL("search/", SITE);
  var FORMAT = 2; // search.FORMAT
  var PAGE = 10; // results shown at once; "显示更多" adds as many again
  var TEXT = {
    placeholder: "搜索台账",
    open: "搜索",
    close: "关闭搜索",
    searching: "正在搜索……",
    none: "没有找到符合条件的结果",
    short: "请至少输入两个字",
    failed: "搜索索引加载失败，请刷新页面后重试",
    loose: "以下页面含有这些字，但不是连在一起的：",
    more: "显示更多",
    found: function (n) { return "找到 " + n + " 个结果"; },
    foundLoose: function (n) { return "没有完全一致的结果；" + n + " 个页面含有这些字"; }
  };
  var ICON = "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5";

  // ---- index access ------------------------------------------------------
  var files = new Map();
  function load(path) {
    if (!files.has(path)) {
      var request = fetch(new URL(path, INDEX)).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      });
      request.catch(function () { files.delete(path); }); // retry on the next query
      files.set(path, request);
    }
    return files.get(path);
  }

  // Same as search.fold: whitespace runs to one space, ASCII to lower case.
  function fold(text) {
    return text.replace(/\s+/g, " ").trim().replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
  }

  // Same as search.bigram_hash: 32-bit FNV-1a over code points.
  function hash(pair) {
    var h = 2166136261;
    for (var i = 0; i < pair.length; i++) h = Math.imul((h ^ pair[i].codePointAt(0)) >>> 0, 16777619) >>> 0;
    return h;
  }

  var decoded = new Map();
  function postings(meta, pair) {
    var key = pair.join("");
    if (decoded.has(key)) return Promise.resolve(decoded.get(key));
    return load("s/" + (hash(pair) % meta.shards) + ".json").then(function (shard) {
      var flat = shard[key] || [], docs = new Map(), doc = 0, i = 0;
      while (i < flat.length) {
        doc += flat[i];
        var n = flat[i + 1], places = new Array(n), p = 0;
        i += 2;
        for (var j = 0; j < n; j++) { p += flat[i + j]; places[j] = p; }
        i += n;
        docs.set(doc, places);
      }
      decoded.set(key, docs);
      return docs;
    });
  }

  // Pairs at offsets 0, 2, 4, … and the last one cover every character, so
  // a place where all of them line up is the whole term, character for character.
  function cover(chars) {
    var offsets = [];
    for (var o = 0; o + 1 < chars.length; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== chars.length - 2) offsets.push(chars.length - 2);
    return offsets;
  }

  // For one term: doc -> {count, first} where the term occurs as written
  // (exact), and the docs holding all its pairs elsewhere (loose).
  function findTerm(meta, term) {
    var chars = Array.from(term), offsets = cover(chars);
    return Promise.all(offsets.map(function (o) { return postings(meta, chars.slice(o, o + 2)); })).then(function (lists) {
      var exact = new Map(), loose = new Set();
      lists[0].forEach(function (starts, doc) {
        for (var k = 1; k < lists.length; k++) if (!lists[k].has(doc)) return;
        var sets = lists.slice(1).map(function (l) { return new Set(l.get(doc)); });
        var count = 0, first = -1;
        starts.forEach(function (p) {
          for (var k = 0; k < sets.length; k++) if (!sets[k].has(p + offsets[k + 1])) return;
          if (first < 0) first = p;
          count++;
        });
        if (count) exact.set(doc, { count: count, first: first }); else loose.add(doc);
      });
      return { exact: exact, loose: loose };
    });
  }

  var metaRequest = null;
  function search(query) {
    var terms = fold(query).split(" ").filter(Boolean);
    if (!terms.length || terms.some(function (t) { return Array.from(t).length < 2; })) {
      return Promise.resolve({ terms: terms, tooShort: true });
    }
    metaRequest = metaRequest || load("meta.json").catch(function (e) { metaRequest = null; throw e; });
    return metaRequest.then(function (meta) {
      // A page cached from before an upgrade reads the index it knows only.
      if (meta.format !== FORMAT) throw new Error("search index format " + meta.format);
      return Promise.all(terms.map(function (t) { return findTerm(meta, t); })).then(function (found) {
        return rank(meta, terms, found);
      });
    });
  }

  // Exact matches of every term first: a hit in the title, then more hits,
  // then the build's order (problem pages by number). Then pages that hold
  // the characters but not side by side.
  function rank(meta, terms, found) {
    var exact = [], loose = [];
    found[0].exact.forEach(function (_, doc) { consider(doc); });
    found[0].loose.forEach(function (doc) { consider(doc); });
    function consider(doc) {
      var count = 0, inTitle = false, allExact = true;
      for (var k = 0; k < found.length; k++) {
        var hit = found[k].exact.get(doc);
        if (hit) {
          count += hit.count;
          if (hit.first < meta.title_lengths[doc]) inTitle = true;
        } else if (found[k].loose.has(doc)) {
          allExact = false;
        } else {
          return;
        }
      }
      if (allExact) exact.push({ doc: doc, count: count, inTitle: inTitle });
      else loose.push({ doc: doc });
    }
    exact.sort(function (a, b) {
      return (b.inTitle - a.inTitle) || (b.count - a.count) || (a.doc - b.doc);
    });
    loose.sort(function (a, b) { return a.doc - b.doc; });
    return { terms: terms, exact: exact, loose: loose, meta: meta };
  }

  // ---- user interface ----------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", ICON);
    svg.appendChild(path);
    return svg;
  }

  // The text around the first hit after the title, hits marked. Built with
  // text nodes only: the page texts are the clerks' words, never markup.
  function excerpt(text, titleLength, terms) {
    var folded = fold(text), at = -1;
    var bodyStart = Array.from(text).slice(0, titleLength).join("").length;
    for (var k = 0; k < terms.length && at < 0; k++) at = folded.indexOf(terms[k], bodyStart);
    if (at < 0) at = bodyStart;
    var start = Math.max(bodyStart, at - 30), end = Math.min(text.length, at + 90);
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end])) end++;
    var out = el("p", "ledger-search__excerpt");
    if (start > bodyStart) out.appendChild(document.createTextNode("…"));
    var i = start;
    while (i < end) {
      var next = -1, len = 0;
      for (var t = 0; t < terms.length; t++) {
        var p = folded.indexOf(terms[t], i);
        if (p >= 0 && p < end && (next < 0 || p < next)) { next = p; len = terms[t].length; }
      }
      if (next < 0) { out.appendChild(document.createTextNode(text.slice(i, end))); break; }
      if (next > i) out.appendChild(document.createTextNode(text.slice(i, next)));
      out.appendChild(el("mark", "", text.slice(next, next + len)));
      i = next + len;
    }
    if (end < text.length) out.appendChild(document.createTextNode("…"));
    return out;
  }

  function resultItem(hit, result, exact) {
    var meta = result.meta, doc = hit.doc;
    var item = el("li", "ledger-search__result");
    var link = el("a", "ledger-search__link");
    var title = el("span", "ledger-search__title", "…");
    link.appendChild(title);
    item.appendChild(link);
    load("d/" + Math.floor(doc / meta.block) + ".json").then(function (block) {
      var entry = block[doc % meta.block];
      var href = new URL(entry[0], SITE).href;
      // Chromium scrolls to and marks the words on the page (text fragment).
      if (exact) href += "#:~:text=" + encodeURIComponent(result.terms[0]);
      link.href = href;
      title.textContent = entry[1];
      link.appendChild(excerpt(entry[2], meta.title_lengths[doc], result.terms));
    });
    return item;
  }

  function SearchBox(header) {
    var root = el("div", "ledger-search");
    var toggle = el("button", "ledger-search__toggle md-header__button md-icon");
    toggle.type = "button";
    toggle.title = TEXT.open;
    toggle.setAttribute("aria-label", TEXT.open);
    toggle.appendChild(icon());
    var form = el("form", "ledger-search__form");
    form.setAttribute("role", "search");
    var input = el("input", "ledger-search__input");
    input.type = "search";
    input.placeholder = TEXT.placeholder;
    input.setAttribute("aria-label", TEXT.placeholder);
    input.autocomplete = "off";
    input.spellcheck = false;
    var panel = el("div", "ledger-search__panel");
    panel.hidden = true;
    panel.setAttribute("aria-live", "polite");
    var status = el("p", "ledger-search__status");
    var list = el("ol", "ledger-search__results");
    var more = el("button", "ledger-search__more md-button", TEXT.more);
    more.type = "button";
    more.hidden = true;
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(more);
    form.appendChild(input);
    form.appendChild(panel);
    root.appendChild(toggle);
    root.appendChild(form);
    var source = header.querySelector(".md-header__source");
    header.insertBefore(root, source);

    var serial = 0, timer = 0, queue = [], current = null;

    function show(result) {
      list.textContent = "";
      queue = result.exact.map(function (h) { return [h, true]; })
        .concat(result.loose.map(function (h) { return [h, false]; }));
      current = result;
      if (!queue.length) status.textContent = TEXT.none;
      else if (result.exact.length) status.textContent = TEXT.found(result.exact.length);
      else status.textContent = TEXT.foundLoose(result.loose.length);
      root.dataset.results = String(result.exact.length);
      showMore();
    }

    function showMore() {
      var batch = queue.splice(0, PAGE);
      batch.forEach(function (entry) {
        var hit = entry[0], exact = entry[1];
        if (!exact && current.exact.length && !list.querySelector(".ledger-search__divider")) {
          list.appendChild(el("li", "ledger-search__divider", TEXT.loose));
        }
        list.appendChild(resultItem(hit, current, exact));
      });
      more.hidden = !queue.length;
    }

    function run() {
      var query = input.value, mine = ++serial;
      if (!query.trim()) { panel.hidden = true; return; }
      panel.hidden = false;
      status.textContent = TEXT.searching;
      search(query).then(function (result) {
        if (mine !== serial) return;
        if (result.tooShort) {
          list.textContent = "";
          more.hidden = true;
          status.textContent = TEXT.short;
          return;
        }
        show(result);
      }, function () {
        if (mine === serial) status.textContent = TEXT.failed;
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("focus", function () { if (input.value.trim()) panel.hidden = false; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run();
    });
    more.addEventListener("click", showMore);
    toggle.addEventListener("click", function () {
      var open = root.classList.toggle("ledger-search--open");
      toggle.setAttribute("aria-label", open ? TEXT.close : TEXT.open);
      if (open) input.focus();
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
      if (event.key === "Escape") {
        panel.hidden = true;
        root.classList.remove("ledger-search--open");
        if (document.activeElement === input) input.blur();
      } else if (event.key === "/" && !typing) {
        event.preventDefault();
        input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!root.contains(event.target)) panel.hidden = true;
    });
  }

  function init() {
    var header = document.querySelector(".md-header__inner");
    if (header && !header.querySelector(".ledger-search")) SearchBox(header);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
