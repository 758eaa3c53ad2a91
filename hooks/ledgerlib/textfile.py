"""Reading the text files a ledger is made of, with the rules they all share.

Every file the build reads (ledger.yml, problem files, report narratives)
goes through ``read_text``: one set of encoding rules, one set of messages.
``split_front_matter`` and ``is_problem_file`` are the one definition of a
problem file's shape, used by the loader and by the git history reader.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import constants as C
from .errors import Diagnostics
from .genre import SPACE_BEFORE_PUNCT
from .trust import CONTROL
from .yamlnodes import Map, Scalar, Value, YamlSyntaxError, parse

# A fence line: "---", maybe followed by spaces (never by a newline).
_FENCE = re.compile(r"^---[^\S\n]*$", re.MULTILINE)
# A field name then "：", also as a list item's first field ("- name：…");
# there only the fields of ledger.yml's and evidence's lists, since an
# evidence line such as "- PPT：会议材料" is plain text.
_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+(?=(?:name|short|summary|intro|key|label|color|done|overdue|sentence"
                            r"|phrase|title|source|generate|file)\s*：))?([A-Za-z_]+)\s*：")
# "status:整改中": YAML reads the whole line as text and then reports the
# line after it; a URL ("http://") is left alone.
_NO_SPACE_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_]*):(?=[^ \t\n/\u3000])")
# Lines worth the per-line checks of check_layout.
_SUSPECT = re.compile(r"[：\t\u3000]|^[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_]*:[^ \t\n/\u3000]", re.MULTILINE)
# A full-width space where YAML needs a half-width one: as indentation, right
# after "-" or "key:", or between a key and its colon. (After a half-width
# space it is only part of the value, and stripped.)
_FULLWIDTH_SPACE = (
    re.compile(r"^[ ]*(?:-|(?:-[ ]+)?(?P<key>[A-Za-z_]+)[ ]*:)?\u3000"),
    re.compile(r"^[ ]*(?:-[ ]+)?(?P<key>[A-Za-z_]+)\u3000+:"),
)
_SAVE_AS_UTF8 = "请用编辑器“另存为 UTF-8”（记事本：另存为 → 编码选 UTF-8）后再提交。"


def is_problem_file(name: str) -> bool:
    """Whether a file name directly in the ledger folder is a problem file.

    ``*.md`` except README.md and names starting with "." or "_" (drafts).
    """
    return (name.lower().endswith(".md") and name != "README.md"
            and not name.startswith((".", "_")))


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Unreadable(ValueError):
    """A file that is not UTF-8 text; ``str()`` is the Chinese message."""

    def __init__(self, line: int, field: str, message: str):
        super().__init__(message)
        self.line, self.field = line, field


def decode(data: bytes) -> str:
    """The text of UTF-8 bytes (BOM allowed) with "\\n" line ends; raises Unreadable."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16(data):
        # Notepad calls UTF-16 "Unicode": text, but not UTF-8, and not binary.
        raise Unreadable(1, "编码", "文件是 UTF-16 编码（记事本“另存为”里叫“Unicode”或“Unicode big endian”），"
                                  f"不是 UTF-8；{_SAVE_AS_UTF8}")
    if b"\x00" in data:
        raise Unreadable(1, "文件", "这是二进制文件（例如改了扩展名的 Word 文档或图片），不是文本；"
                                  "问题文件必须是 UTF-8 编码的 Markdown 文本，附件请放到 docs/evidence/ 下。")
    try:
        text = normalise_newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "文件可能以 GBK/GB2312 编码保存" if _looks_gbk(data) else "文件不是 UTF-8 编码"
        raise Unreadable(line, "编码", f"{hint}；{_SAVE_AS_UTF8}") from None
    _check_controls(text)
    return text


def _check_controls(text: str) -> None:
    found = CONTROL.search(text)  # pasted in with text from another program
    if found is None:
        return
    line_start = text.rfind("\n", 0, found.start()) + 1
    raise Unreadable(text.count("\n", 0, found.start()) + 1, "文件",
                     f"第 {found.start() - line_start + 1} 个字符是看不见的控制字符（U+{ord(found[0]):04X}），"
                     "Word、Excel 和网页都无法原样保存它；它多半是从别的程序复制文字时带进来的，请删除这个字符后再提交。")


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """The file's text with "\\n" line ends, or None after recording why not."""
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= C.MAX_FILE_BYTES else b""
    except OSError as exc:
        diags.error(rel, 1, "文件", f"无法读取文件（{exc.strerror}）；请检查文件是否存在、是否有读取权限。")
        return None
    if size > C.MAX_FILE_BYTES:
        diags.error(rel, 1, "文件", f"文件过大（{size // 1024} KB，上限 {C.MAX_FILE_BYTES // 1000} KB）；附件请放到 docs/evidence/ 下，在 evidence 字段里引用。")
        return None
    try:
        return decode(data)
    except Unreadable as exc:
        diags.error(rel, exc.line, exc.field, str(exc))
        return None


def read_yaml(path: Path, rel: str, field: str, diags: Diagnostics) -> tuple[bool, Value | None]:
    """(usable, node) for a settings or register file (ledger.yml's siblings,
    sources.yml …): ``usable`` is False after recording why the file cannot
    be read or parsed; ``node`` is None for an empty file, which the caller
    may allow or refuse."""
    text = read_text(path, rel, diags)
    if text is None:
        return False, None
    try:
        return True, parse(text)
    except YamlSyntaxError as exc:
        diags.error(rel, exc.line, field, f"YAML 格式错误：{exc.hint}。")
        return False, None


def is_empty(node: Value | None) -> bool:
    """A file with nothing in it, or only comments."""
    return node is None or (isinstance(node, Scalar) and node.is_null)


class FrontMatterError(ValueError):
    """The file does not start with a closed front-matter block."""


def split_front_matter(text: str) -> tuple[str, int, str]:
    """(front-matter text, line where the body starts, body) of a problem file.

    ``text`` has "\\n" line ends. Raises FrontMatterError with a Chinese message.
    """
    first = _FENCE.match(text)
    if first is None:
        raise FrontMatterError("文件开头缺少 front-matter；第一行应为 ---，随后是 id、title 等字段，再以 --- 结束。")
    closing = _FENCE.search(text, first.end() + 1)
    if closing is None:
        raise FrontMatterError("front-matter 没有结束标记；请在字段之后加一行 ---。")
    front = text[first.end() + 1:max(closing.start() - 1, first.end() + 1)]
    body_line = text.count("\n", 0, closing.end()) + 2
    return front, body_line, text[closing.end() + 1:]


def read_front_matter(text: str, rel: str, diags: Diagnostics) -> tuple[Map | None, int, str]:
    """(front-matter mapping or None after recording why, body line, body)."""
    try:
        front, body_line, body = split_front_matter(text)
    except FrontMatterError as exc:
        diags.error(rel, 1, "front-matter", str(exc))
        return None, 1, text
    if not check_layout(front, rel, diags, first_line=2):
        return None, body_line, body
    try:
        node = parse(front, line_offset=1)
    except YamlSyntaxError as exc:
        diags.error(rel, exc.line, "front-matter", f"YAML 格式错误：{exc.hint}。")
        return None, body_line, body
    if not isinstance(node, Map):
        diags.error(rel, 2, "front-matter", "front-matter 应为“字段: 值”的形式，每行一个字段。")
        return None, body_line, body
    return node, body_line, body


def check_layout(text: str, rel: str, diags: Diagnostics, *, first_line: int) -> bool:
    """Catch the typing slips YAML would report cryptically or not at all."""
    if not _SUSPECT.search(text):
        return True  # nothing below can match: skip the per-line regexes
    ok = True
    for n, line in enumerate(text.split("\n"), start=first_line):
        m = _FULLWIDTH_KEY.match(line)
        if m:
            diags.error(rel, n, m[1], "字段名后用了全角冒号“：”；请改为半角冒号加空格“: ”。")
            ok = False
        elif m := _NO_SPACE_KEY.match(line):
            diags.error(rel, n, m[1], "字段名的冒号后面缺少空格；请写成“字段: 值”，冒号后加一个半角空格。")
            ok = False
        elif "\t" in line[: len(line) - len(line.lstrip())]:
            diags.error(rel, n, "front-matter", "行首有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成两个空格。")
            ok = False
        elif (key := _fullwidth_space(line)) is not None:
            diags.error(rel, n, key or "front-matter", "这一行有全角空格（　）；YAML 只认半角空格，请切换到半角输入法，把它改成半角空格。")
            ok = False
    return ok


def _fullwidth_space(line: str) -> str | None:
    """The field whose line has a misplaced full-width space ("" if none is named), else None."""
    for pattern in _FULLWIDTH_SPACE:
        m = pattern.match(line)
        if m:
            return m["key"] or ""
    return None


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False


def looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII characters (the "---" and field
    names of every ledger file) come out as a NUL in every other byte."""
    sample = data[:200]
    half = len(sample) // 2
    return half >= 4 and (sample[0::2].count(0) > half // 2 or sample[1::2].count(0) > half // 2)


def check_spacing(text: str, rel: str, diags: Diagnostics, field_of=lambda line: "正文") -> None:
    """A warning, with line and column, for each half-width space before
    full-width punctuation (genre.SPACE_BEFORE_PUNCT)."""
    if " " not in text and "\t" not in text and "\u00a0" not in text:
        return
    for n, line in enumerate(text.split("\n"), start=1):
        for m in SPACE_BEFORE_PUNCT.finditer(line):
            punct = line[m.end()]
            diags.warn(rel, n, field_of(n), f"第 {m.start() + 1} 列：全角标点“{punct}”前有半角空格，"
                       f"页面上这一行可能以“{punct}”开头；请删去空格。")


def check_placeholder(text: str, rel: str, diags: Diagnostics, field_of=lambda line: "正文", *, warn: bool = False) -> None:
    """Every line still holding the placeholder that `new` and `init` write:
    an error, or with ``warn`` (a narrative scaffold) a warning."""
    if C.PLACEHOLDER not in text:
        return
    for n, line in enumerate(text.split("\n"), start=1):
        if C.PLACEHOLDER in line:
            if warn:
                diags.warn(rel, n, field_of(n), f"叙述还是占位文字“{C.PLACEHOLDER}”，页面上会突出显示；"
                           "生成正式文件（导出 Word、打印 PDF、记录报送）前请改写成实际内容。")
            else:
                diags.error(rel, n, field_of(n), f"这里还是占位文字“{C.PLACEHOLDER}”；请改写成实际内容（并删去“{C.PLACEHOLDER}”）后再提交。")
