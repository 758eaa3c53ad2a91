/*
 * 整改台账 · 在线填报: the problem-file format for Decap CMS.
 *
 * Decap's own front-matter writer re-serialises the whole YAML (comments,
 * blank lines, quoting and flow lists are lost). This format keeps the file
 * the clerk's colleagues wrote: fromFile keeps the original text in the
 * entry (`__raw`), and toFile patches only the keys, list items and body
 * sections whose value changed. An unchanged entry is written back byte for
 * byte. It also names each save in Chinese ("更新问题 5：整改状态 整改中 → 已完成")
 * and gives a new problem the file name `ledger.py new` would give.
 *
 * Loaded by admin/index.html after Decap and js-yaml; under Node (the tests)
 * it exports the same functions instead of registering them.
 */
(function (root, factory) {
  'use strict';
  var yaml = root && root.jsyaml;
  if (!yaml && typeof require === 'function') yaml = require('./vendor/js-yaml/js-yaml.min.js');
  var api = factory(yaml);
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (root && root.CMS) api.register(root.CMS);
})(typeof self !== 'undefined' ? self : this, function (yaml) {
  'use strict';

  var RAW = '__raw';
  var FILE = '__file';
  var PROBLEM = 'problem_text';
  var MEASURES_TEXT = 'measures_text';
  var HEADINGS = [[PROBLEM, '问题描述'], [MEASURES_TEXT, '整改情况']];

  // Front-matter keys in file order (ledgerlib/constants.py ISSUE_FIELDS,
  // checked by tests/test_form.py) with how each is held in the form.
  var ISSUE_KEYS = [
    ['id', 'number', '序号'], ['title', 'text', '问题标题'], ['category', 'text', '问题方面'],
    ['status', 'text', '整改状态'], ['owner', 'names', '责任部门'], ['leader', 'text', '责任领导'],
    ['deadline', 'text', '整改时限'], ['completed', 'text', '完成时间'],
    ['evidence', 'evidence', '佐证材料'], ['status_note', 'text', '进展表述'],
    ['follows', 'refs', '延续自'], ['public', 'public', '是否公开'], ['measures', 'measures', '整改措施'],
    ['immediate', 'flag', '立行立改'], ['results', 'results', '整改成效'], ['note', 'text', '备注'],
  ];
  var MEASURE_KEYS = [
    ['text', 'text', '措施内容'], ['owner', 'names', '责任部门'], ['person', 'text', '责任人'],
    ['deadline', 'text', '整改时限'], ['status', 'text', '整改状态'], ['completed', 'text', '完成时间'],
    ['evidence', 'evidence', '佐证材料'], ['note', 'text', '备注'],
  ];
  var EVIDENCE_KEYS = [['name', 'text', '名称'], ['file', 'text', '文件']];

  // ---- reading ------------------------------------------------------------

  /** The text without BOM and with LF line ends, and how to put them back. */
  function unwrap(raw) {
    var bom = raw.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
    var text = bom ? raw.slice(1) : raw;
    var crlf = text.indexOf('\r\n') >= 0 && text.replace(/\r\n/g, '').indexOf('\n') < 0;
    return { bom: bom, crlf: crlf, text: crlf ? text.replace(/\r\n/g, '\n') : text };
  }

  function wrap(doc, text) {
    return doc.bom + (doc.crlf ? text.replace(/\n/g, '\r\n') : text);
  }

  /** Lines of the file: front-matter between `fm[0]`+1 and `fm[1]`, or none. */
  function split(text) {
    var lines = text.split('\n');
    var end = -1;
    if (/^---\s*$/.test(lines[0])) {
      for (var i = 1; i < lines.length; i++) {
        if (/^(---|\.\.\.)\s*$/.test(lines[i])) { end = i; break; }
      }
    }
    return { lines: lines, fmEnd: end };
  }

  function parseYaml(text) {
    try {
      var value = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA });
      return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch (e) {
      return {};
    }
  }

  function names(value) {
    if (value == null) return [];
    if (Array.isArray(value)) return value.map(String).filter(function (v) { return v.trim(); });
    return String(value).split(/[、，,；;]/).map(function (p) { return p.trim(); }).filter(Boolean);
  }

  function evidenceItems(value) {
    if (value == null || value === '') return [];
    var items = Array.isArray(value) ? value : [value];
    return items.map(function (item) {
      if (item && typeof item === 'object') return { name: item.name || '', file: item.file || '' };
      return { name: item == null ? '' : String(item), file: '' };
    });
  }

  function formValue(kind, value) {
    switch (kind) {
      case 'number': return value == null || value === '' || isNaN(Number(value)) ? value : Number(value);
      case 'names': return names(value);
      case 'refs': return value == null ? [] : (Array.isArray(value) ? value : [value]).map(String);
      case 'evidence': return evidenceItems(value);
      case 'public': return !(value === 'false' || value === 'False' || value === '否' || value === 'no');
      case 'flag': return value === 'true' || value === 'True' || value === '是' || value === 'yes';
      case 'results': return resultsValue(value);
      case 'measures': return (Array.isArray(value) ? value : []).map(function (m) {
        return m && typeof m === 'object' ? mapValue(MEASURE_KEYS, m) : { text: String(m) };
      });
      default: return value == null ? '' : value;
    }
  }

  function resultsValue(value) {
    var out = {};
    if (!value || typeof value !== 'object') return out;
    Object.keys(value).forEach(function (k) {
      out[k] = value[k] === '' || value[k] == null || isNaN(Number(value[k])) ? value[k] : Number(value[k]);
    });
    return out;
  }

  function mapValue(spec, obj) {
    var out = {};
    spec.forEach(function (s) { if (s[0] in obj) out[s[0]] = formValue(s[1], obj[s[0]]); });
    return out;
  }

  /** The body's two sections: [start, end) line ranges of each one's content. */
  function sections(lines, from) {
    var found = {};
    var current = null;
    for (var i = from; i < lines.length; i++) {
      var m = /^##(?!#)\s*(.*?)\s*$/.exec(lines[i]);
      if (m) {
        if (current) current.end = i;
        current = null;
        var title = m[1].replace(/[：:]+$/, '');
        HEADINGS.forEach(function (h) {
          if (h[1] === title && !found[h[0]]) current = found[h[0]] = { heading: i, start: i + 1, end: lines.length };
        });
      }
    }
    return found;
  }

  function fromFile(raw) {
    raw = raw == null ? '' : String(raw);
    var doc = unwrap(raw);
    var parts = split(doc.text);
    var fm = parts.fmEnd > 0 ? parseYaml(parts.lines.slice(1, parts.fmEnd).join('\n')) : {};
    var data = mapValue(ISSUE_KEYS, fm);
    // The switches show the file's meaning when the key is absent (public by default).
    data.public = formValue('public', fm.public);
    data.immediate = formValue('flag', fm.immediate);
    var found = sections(parts.lines, parts.fmEnd + 1);
    HEADINGS.forEach(function (h) {
      var s = found[h[0]];
      data[h[0]] = s ? parts.lines.slice(s.start, s.end).join('\n').trim() : '';
    });
    data[RAW] = raw;
    return data;
  }

  // ---- comparing ----------------------------------------------------------

  /** The value as the file means it: empties dropped, defaults folded in. */
  function canon(kind, value) {
    switch (kind) {
      case 'number': return value == null || value === '' ? null : String(Number(value));
      case 'names': case 'refs': { var l = names(value); return l.length ? l : null; }
      case 'public': return value === false || value === 'false' ? false : null;
      case 'flag': return value === true || value === 'true' ? true : null;
      case 'results': {
        var out = {};
        Object.keys(value || {}).sort().forEach(function (k) {
          var v = value[k];
          if (v !== '' && v != null && !(typeof v === 'number' && isNaN(v))) out[k] = String(Number(v));
        });
        return Object.keys(out).length ? out : null;
      }
      case 'evidence': {
        var items = evidenceItems(value).map(function (e) { return canonMap(EVIDENCE_KEYS, e); })
          .filter(function (e) { return e !== null; });
        return items.length ? items : null;
      }
      case 'measures': {
        var ms = (Array.isArray(value) ? value : []).map(function (m) { return canonMap(MEASURE_KEYS, m || {}); })
          .filter(function (m) { return m !== null; });
        return ms.length ? ms : null;
      }
      default: return value == null || String(value) === '' ? null : String(value);
    }
  }

  function canonMap(spec, obj) {
    var out = {};
    spec.forEach(function (s) {
      var v = canon(s[1], obj[s[0]]);
      if (v !== null) out[s[0]] = v;
    });
    return Object.keys(out).length ? out : null;
  }

  function same(kind, a, b) {
    return JSON.stringify(canon(kind, a)) === JSON.stringify(canon(kind, b));
  }

  // ---- writing values -----------------------------------------------------

  var SPECIAL = /^(true|false|yes|no|on|off|null|~|y|n)$/i;
  var NUMBER = /^[-+]?(\.?[0-9][0-9_]*)(\.[0-9_]*)?([eE][-+]?[0-9]+)?$|^0x|^0o/;

  /** A YAML scalar that reads back as this exact text. */
  function scalar(value, asNumber) {
    var s = value == null ? '' : String(value);
    if (s === '') return '""';
    if (asNumber && /^[0-9]+(\.[0-9]+)?$/.test(s)) return s;
    var plain = !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/\s$/.test(s) && !/: |:$| #|[\x00-\x1f\x7f\u2028\u2029]/.test(s) &&
      !SPECIAL.test(s) && !NUMBER.test(s);
    return plain ? s : JSON.stringify(s);
  }

  /** A scalar inside `[…]` or `{…}`, where commas and brackets end a plain one. */
  function flowScalar(value, asNumber) {
    var s = scalar(value, asNumber);
    return s[0] !== '"' && /[,[\]{}]/.test(s) ? JSON.stringify(s) : s;
  }

  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function scalarFor(key, value) {
    var s = value == null ? '' : String(value);
    if (DATE.test(s) || key === 'id') return s;
    return scalar(s);
  }

  function pad(n) { return new Array(n + 1).join(' '); }

  /** Fresh lines for `key: value` at `indent` (the value in the form's shape). */
  function emit(key, kind, value, indent) {
    var sp = pad(indent);
    var c = canon(kind, value);
    if (c === null) {
      if (kind === 'evidence' || kind === 'measures') return [sp + key + ': []'];
      if (kind === 'public') return [sp + key + ': true'];
      if (kind === 'flag') return [sp + key + ': false'];
      return [sp + key + ':'];
    }
    switch (kind) {
      case 'names': return [sp + key + ': ' + scalar(c.join('、'))];
      case 'refs': return [sp + key + ': ' + (c.length === 1 ? scalar(c[0], true) : '[' + c.map(function (r) { return flowScalar(r, true); }).join(', ') + ']')];
      case 'public': case 'flag': return [sp + key + ': ' + String(c)];
      case 'results': return [sp + key + ':'].concat(Object.keys(c).map(function (k) { return sp + '  ' + k + ': ' + c[k]; }));
      case 'evidence': return [sp + key + ':'].concat(flatten(c.map(function (e) { return emitEvidence(e, indent + 2); })));
      case 'measures': return [sp + key + ':'].concat(flatten(c.map(function (m) { return emitItem(MEASURE_KEYS, m, indent + 2); })));
      default: return [sp + key + ': ' + scalarFor(key, c)];
    }
  }

  function flatten(lists) { return [].concat.apply([], lists); }

  function emitEvidence(e, indent) {
    if (!e.file) return [pad(indent) + '- ' + scalar(e.name)];
    return emitItem(EVIDENCE_KEYS, e, indent);
  }

  function emitItem(spec, obj, indent) {
    var lines = [];
    spec.forEach(function (s) {
      if (canon(s[1], obj[s[0]]) !== null) lines = lines.concat(emit(s[0], s[1], obj[s[0]], indent + 2));
    });
    if (!lines.length) lines = [pad(indent + 2) + spec[0][0] + ':'];
    lines[0] = pad(indent) + '- ' + lines[0].slice(indent + 2);
    return lines;
  }

  // ---- patching the original text -----------------------------------------

  function isBlankOrComment(line) { return /^\s*(#.*)?$/.test(line); }

  function indentOf(line) { return /^ */.exec(line)[0].length; }

  /** The keys of a block mapping at `indent` in lines[from, to): {key: {start, end}}. */
  function entries(lines, from, to, indent) {
    var keyRe = new RegExp('^ {' + indent + '}([A-Za-z_][A-Za-z0-9_]*)\\s*:(\\s|$)');
    var out = {};
    var order = [];
    for (var i = from; i < to; i++) {
      var m = keyRe.exec(lines[i]);
      if (!m) continue;
      var last = i;
      for (var j = i + 1; j < to; j++) {
        if (keyRe.test(lines[j])) break;
        if (isBlankOrComment(lines[j])) continue;
        if (indentOf(lines[j]) > indent || /^\s*-(\s|$)/.test(lines[j]) && indentOf(lines[j]) === indent) last = j;
        else break;
      }
      out[m[1]] = { start: i, end: last + 1 };
      order.push(m[1]);
      i = last;
    }
    return { at: out, order: order };
  }

  /** Column of the `#` starting a comment after a one-line scalar, or -1. */
  function commentColumn(line) {
    var m = /^(\s*[A-Za-z_][A-Za-z0-9_]*\s*:\s*)(.*)$/.exec(line);
    if (!m) return -1;
    var rest = m[2];
    var quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : null;
    var i = 0;
    if (quote) {
      for (i = 1; i < rest.length; i++) {
        if (quote === '"' && rest[i] === '\\') { i++; continue; }
        if (rest[i] === quote) {
          if (quote === "'" && rest[i + 1] === "'") { i++; continue; }
          break;
        }
      }
    }
    var hash = rest.slice(i).search(/(^|\s)#/);
    if (hash < 0) return -1;
    var col = m[1].length + i + hash;
    return line[col] === '#' ? col : col + 1;
  }

  /**
   * Patch a block mapping lines[from, to) at `indent` from `oldObj` to
   * `newObj`; returns the new lines for that range. Unchanged keys keep
   * their lines; keys not in `spec` are never touched.
   */
  function patchMap(lines, from, to, indent, spec, oldObj, newObj) {
    var found = entries(lines, from, to, indent);
    var edits = [];  // [start, end, replacement lines]
    var lastEnd = null;
    spec.forEach(function (s) {
      var key = s[0], kind = s[1];
      var at = found.at[key];
      if (same(kind, oldObj[key], newObj[key])) {
        if (at) lastEnd = at.end;
        return;
      }
      if (at) {
        edits.push([at.start, at.end, patchEntry(lines, at, key, kind, indent, oldObj[key], newObj[key]), edits.length]);
        lastEnd = at.end;
      } else if (canon(kind, newObj[key]) !== null) {
        var where = lastEnd === null ? firstKeyLine(found, from) : lastEnd;
        edits.push([where, where, emit(key, kind, newObj[key], indent), edits.length]);
      }
    });
    var out = lines.slice(from, to);
    // Bottom up, so earlier positions stay valid; of two inserts at one
    // place the later key goes in first and so ends up below.
    edits.sort(function (a, b) { return b[0] - a[0] || b[3] - a[3]; });
    edits.forEach(function (e) {
      out.splice.apply(out, [e[0] - from, e[1] - e[0]].concat(e[2]));
    });
    return out;
  }

  function firstKeyLine(found, from) {
    return found.order.length ? found.at[found.order[0]].start : from;
  }

  function patchEntry(lines, at, key, kind, indent, oldV, newV) {
    var first = lines[at.start];
    var single = at.end - at.start === 1;
    if (kind === 'evidence' || kind === 'measures') {
      var blockItems = !single && canon(kind, newV) !== null;
      if (blockItems) return patchList(lines, at, kind, oldV, newV, indent);
      return emit(key, kind, newV, indent);
    }
    var fresh = emit(key, kind, newV, indent);
    var col = single && fresh.length === 1 ? commentColumn(first) : -1;
    if (col >= 0) {
      // The comment stays in its column when the new value fits before it.
      var gap = col - fresh[0].length;
      return [fresh[0] + (gap >= 1 ? pad(gap) : ' ') + first.slice(col)];
    }
    return fresh;
  }

  /** List items of a block sequence under a key: item-wise LCS patch. */
  function patchList(lines, at, kind, oldV, newV, indent) {
    var starts = [];
    var itemIndent = null;
    for (var i = at.start + 1; i < at.end; i++) {
      var m = /^( *)-(\s|$)/.exec(lines[i]);
      if (m && (itemIndent === null || m[1].length === itemIndent)) {
        itemIndent = m[1].length;
        starts.push(i);
      }
    }
    var spec = kind === 'measures' ? MEASURE_KEYS : null;
    var oldItems = kind === 'measures' ? (oldV || []) : evidenceItems(oldV);
    var newItems = kind === 'measures' ? (newV || []) : evidenceItems(newV);
    if (!starts.length || starts.length !== oldItems.length) {
      return [lines[at.start]].concat(emit('x', kind, newV, indent).slice(1));
    }
    var chunks = starts.map(function (s, k) { return [s, k + 1 < starts.length ? starts[k + 1] : at.end]; });
    var keyOf = function (item) {
      return JSON.stringify(spec ? canonMap(spec, item || {}) : canonMap(EVIDENCE_KEYS, item || {}));
    };
    var pairs = lcs(oldItems.map(keyOf), newItems.map(keyOf));
    var out = lines.slice(at.start, starts[0]);
    var oi = 0, ni = 0;
    var emitNew = function (item) {
      return spec ? emitItem(spec, item, itemIndent) : emitEvidence(canonMap(EVIDENCE_KEYS, item) || { name: '' }, itemIndent);
    };
    pairs.concat([[oldItems.length, newItems.length]]).forEach(function (p) {
      // Changed in place (one removed, one added at the same spot): patch its keys.
      while (oi < p[0] && ni < p[1] && spec) {
        out = out.concat(patchItem(lines, chunks[oi], itemIndent, spec, oldItems[oi], newItems[ni]));
        oi++; ni++;
      }
      for (; ni < p[1]; ni++) out = out.concat(emitNew(newItems[ni]));
      oi = p[0];
      if (p[0] < oldItems.length) {
        out = out.concat(lines.slice(chunks[p[0]][0], chunks[p[0]][1]));
        oi++; ni++;
      }
    });
    return out;
  }

  /** One "- key: …" item as a mapping two columns in, patched, then dashed again. */
  function patchItem(lines, chunk, itemIndent, spec, oldItem, newItem) {
    var body = lines.slice(chunk[0], chunk[1]);
    var head = body[0];
    var dashed = /^( *)- /.test(head);
    if (!dashed || !/^ *- [A-Za-z_][A-Za-z0-9_]*\s*:/.test(head)) return emitItem(spec, newItem, itemIndent);
    body[0] = head.replace(/^( *)- /, '$1  ');
    var patched = patchMap(body, 0, body.length, itemIndent + 2, spec, oldItem, newItem);
    var firstKey = patched.findIndex(function (l) { return !isBlankOrComment(l); });
    if (firstKey < 0) return emitItem(spec, newItem, itemIndent);
    patched[firstKey] = patched[firstKey].replace(new RegExp('^ {' + itemIndent + '}  '), pad(itemIndent) + '- ');
    return patched;
  }

  /** Index pairs of a longest common subsequence of two key lists. */
  function lcs(a, b) {
    var n = a.length, m = b.length;
    var t = [];
    for (var i = 0; i <= n; i++) { t.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
      }
    }
    var pairs = [];
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { pairs.push([i, j]); i++; j++; }
      else if (t[i + 1][j] >= t[i][j + 1]) i++;
      else j++;
    }
    return pairs;
  }

  function patchBody(lines, from, oldData, newData) {
    var out = lines.slice();
    var found = sections(out, from);
    var edits = [];
    HEADINGS.forEach(function (h) {
      var key = h[0];
      var now = String(newData[key] == null ? '' : newData[key]).replace(/\r\n/g, '\n');
      if (now.trim() === String(oldData[key] || '').trim()) return;
      var s = found[key];
      if (!s) {
        var end = out.length && out[out.length - 1] === '' ? out.length - 1 : out.length;
        edits.push([end, end, ['', '## ' + h[1], '', now.trim()]]);
        return;
      }
      var text = out.slice(s.start, s.end).join('\n');
      var core = text.trim();
      var lead = text.length - text.replace(/^\s+/, '').length;
      var replaced = core ? text.slice(0, lead) + now.trim() + text.slice(lead + core.length) : '\n' + now.trim() + '\n';
      edits.push([s.start, s.end, replaced.split('\n')]);
    });
    edits.sort(function (a, b) { return b[0] - a[0]; });
    edits.forEach(function (e) { out.splice.apply(out, [e[0], e[1] - e[0]].concat(e[2])); });
    return out;
  }

  function toFile(data) {
    data = data || {};
    var raw = data[RAW];
    if (raw == null || raw === '') return newFile(data);
    var old = fromFile(raw);
    if (!changes(old, data).length) return raw;
    var doc = unwrap(String(raw));
    var parts = split(doc.text);
    var lines = parts.lines;
    if (parts.fmEnd < 0) {
      // No front-matter to patch (validate refuses such a file): write one above the text.
      var body = patchBody(lines, 0, old, data);
      return wrap(doc, ['---'].concat(emitAll(data), ['---', '']).concat(body).join('\n'));
    }
    var fm = patchMap(lines, 1, parts.fmEnd, 0, ISSUE_KEYS, old, data);
    var rest = patchBody(lines, parts.fmEnd + 1, old, data).slice(parts.fmEnd);
    return wrap(doc, [lines[0]].concat(fm, rest).join('\n'));
  }

  function emitAll(data) {
    var out = [];
    ISSUE_KEYS.forEach(function (s) {
      var always = ['id', 'title', 'category', 'status', 'owner', 'leader', 'deadline', 'completed', 'evidence'];
      if (always.indexOf(s[0]) >= 0 || canon(s[1], data[s[0]]) !== null) out = out.concat(emit(s[0], s[1], data[s[0]], 0));
    });
    return out;
  }

  /** A new problem file, laid out as `ledger.py new` writes one. */
  function newFile(data) {
    var lines = ['---'].concat(emitAll(data), ['---', '']);
    HEADINGS.forEach(function (h, i) {
      lines.push('## ' + h[1], '', String(data[h[0]] || '').replace(/\r\n/g, '\n').trim());
      if (i === 0) lines.push('');
    });
    return lines.join('\n') + '\n';
  }

  /** `ledger.py new`'s file name (commands/new.py file_name), without ".md". */
  function fileStem(id, title) {
    var stem = String(title || '').replace(/[^\p{L}\p{N}_\u4e00-\u9fff]+/gu, '').slice(0, 16) || '问题';
    var n = String(id == null ? '' : id);
    return (n.length < 2 ? ('00' + n).slice(-2) : n) + '-' + stem;
  }

  // ---- what changed, in Chinese -------------------------------------------

  function shortText(s) {
    s = String(s);
    return s.length > 20 ? s.slice(0, 20) + '…' : s;
  }

  function changes(old, data) {
    var out = [];
    ISSUE_KEYS.forEach(function (s) {
      var key = s[0], kind = s[1], label = s[2];
      if (same(kind, old[key], data[key])) return;
      var a = canon(kind, old[key]), b = canon(kind, data[key]);
      if (kind === 'text' || kind === 'number' || kind === 'names' || kind === 'refs') {
        var show = function (v) { return v === null ? '（空）' : shortText(Array.isArray(v) ? v.join('、') : v); };
        out.push(label + ' ' + show(a) + ' → ' + show(b));
      } else if (kind === 'public' || kind === 'flag') {
        out.push(label + ' ' + (formValue(kind, data[key] === false ? 'false' : String(data[key])) ? '是' : '否'));
      } else if (kind === 'evidence' || kind === 'measures') {
        var na = a ? a.length : 0, nb = b ? b.length : 0;
        out.push(label + (nb > na ? ' 新增 ' + (nb - na) + ' 项' : nb < na ? ' 删去 ' + (na - nb) + ' 项' : ' 修改'));
      } else {
        out.push(label + ' 修改');
      }
    });
    HEADINGS.forEach(function (h) {
      if (String(old[h[0]] || '').trim() !== String(data[h[0]] == null ? '' : data[h[0]]).replace(/\r\n/g, '\n').trim()) {
        out.push(h[1] + ' 修改');
      }
    });
    return out;
  }

  function commitMessage(data) {
    if (!data[RAW]) return '新增问题 ' + (data.id == null ? '' : data.id) + '：' + (data.title || '');
    var list = changes(fromFile(data[RAW]), data);
    return '更新问题 ' + (data.id == null ? '' : data.id) + '：' + (list.length ? list.join('；') : '未改动');
  }

  // ---- plain texts (report narratives) and YAML registers (signoff.yml) ----

  var text = {
    fromFile: function (raw) { return { body: raw == null ? '' : String(raw) }; },
    toFile: function (data) { return data && data.body != null ? String(data.body) : ''; },
  };

  // signoff.yml: a list of `- {id: 1, by: 区委巡察办, date: 2023-04-10, note: …}`.
  var SIGNOFF_KEYS = ['id', 'by', 'date', 'note'];

  function signoffItem(item) {
    var out = {};
    if (item && typeof item === 'object') {
      SIGNOFF_KEYS.forEach(function (k) { if (item[k] != null && item[k] !== '') out[k] = k === 'id' ? Number(item[k]) : item[k]; });
    }
    return out;
  }

  function signoffKey(item) {
    var c = {};
    SIGNOFF_KEYS.forEach(function (k) { if (item && item[k] != null && String(item[k]) !== '') c[k] = String(item[k]); });
    return JSON.stringify(c);
  }

  function emitSignoff(item) {
    var parts = [];
    SIGNOFF_KEYS.forEach(function (k) {
      if (item[k] != null && String(item[k]) !== '') parts.push(k + ': ' + (k === 'id' || k === 'date' ? String(item[k]) : flowScalar(item[k])));
    });
    return '- {' + parts.join(', ') + '}';
  }

  var signoff = {
    fromFile: function (raw) {
      raw = raw == null ? '' : String(raw);
      var list = [];
      try { list = yaml.load(unwrap(raw).text, { schema: yaml.FAILSAFE_SCHEMA }) || []; } catch (e) { list = []; }
      var data = { entries: (Array.isArray(list) ? list : []).map(signoffItem) };
      data[RAW] = raw;
      return data;
    },
    toFile: function (data) {
      var raw = data && data[RAW] ? String(data[RAW]) : '';
      var now = ((data && data.entries) || []);
      var old = signoff.fromFile(raw).entries;
      if (raw && JSON.stringify(old.map(signoffKey)) === JSON.stringify(now.map(signoffKey))) return raw;
      var doc = unwrap(raw);
      var lines = raw ? doc.text.split('\n') : [''];
      var starts = [];
      lines.forEach(function (l, i) { if (/^-(\s|$)/.test(l)) starts.push(i); });
      if (starts.length !== old.length) starts = [];
      var lastContent = -1;
      lines.forEach(function (l, i) { if (!isBlankOrComment(l)) lastContent = i; });
      var head = starts.length ? lines.slice(0, starts[0]) : lines.slice(0, lastContent + 1).filter(isBlankOrComment);
      var tail = lines.slice(lastContent + 1);
      var chunks = starts.map(function (s, k) { return lines.slice(s, k + 1 < starts.length ? starts[k + 1] : lastContent + 1); });
      var pairs = lcs(old.map(signoffKey), now.map(signoffKey));
      var out = head;
      var ni = 0;
      pairs.concat([[old.length, now.length]]).forEach(function (p) {
        for (; ni < p[1]; ni++) out.push(emitSignoff(now[ni]));
        if (p[0] < old.length && chunks.length) { out = out.concat(chunks[p[0]]); ni++; }
      });
      if (!tail.length || tail[tail.length - 1] !== '') tail.push('');
      return wrap(doc, out.concat(tail).join('\n'));
    },
  };

  // ---- registration -------------------------------------------------------

  var messages = new Map();  // saved text -> its Chinese commit message

  var problem = {
    fromFile: fromFile,
    toFile: function (data) {
      var out = toFile(data);
      messages.set(out, commitMessage(data));
      return out;
    },
  };

  function plainJs(value) {
    return value && typeof value.toJS === 'function' ? value.toJS() : value;
  }

  /** Every Git backend's persistEntry names the problem in its commit message. */
  function wrapBackends(CMS) {
    ['proxy', 'gitlab', 'gitea', 'github', 'forgejo'].forEach(function (name) {
      var registered = CMS.getBackend && CMS.getBackend(name);
      if (!registered || registered.ledgerWrapped) return;
      var init = registered.init;
      registered.init = function () {
        var impl = init.apply(null, arguments);
        var persist = impl.persistEntry;
        impl.persistEntry = function (entry, opts) {
          var files = (entry && entry.dataFiles) || [];
          var named = files.length && messages.get(files[0].raw);
          return persist.call(impl, entry, named ? Object.assign({}, opts, { commitMessage: named }) : opts);
        };
        return impl;
      };
      registered.ledgerWrapped = true;
    });
  }

  function register(CMS) {
    CMS.registerCustomFormat('ledger-problem', 'md', problem);
    CMS.registerCustomFormat('ledger-text', 'md', text);
    CMS.registerCustomFormat('ledger-signoff', 'yml', signoff);
    wrapBackends(CMS);
    // A new problem's file is named as `ledger.py new` names it (the slug
    // template in config.yml is {{fields.__file}}); toFile never writes __file.
    CMS.registerEventListener({
      name: 'preSave',
      handler: function (arg) {
        var entry = arg.entry;
        var data = entry.get('data');
        if (!entry.get('newRecord') || !data || data.get(RAW)) return data;
        return data.set(FILE, fileStem(plainJs(data.get('id')), plainJs(data.get('title'))));
      },
    });
  }

  return {
    fromFile: fromFile, toFile: toFile, newFile: newFile, fileStem: fileStem,
    commitMessage: commitMessage, changes: changes, register: register, signoff: signoff, text: text,
    ISSUE_KEYS: ISSUE_KEYS.map(function (s) { return s[0]; }),
    MEASURE_KEYS: MEASURE_KEYS.map(function (s) { return s[0]; }),
  };
});
