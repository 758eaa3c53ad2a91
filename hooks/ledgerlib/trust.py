"""The trust boundary in code: what an edit may make the build read or publish.

Every file a merge request can touch is untrusted (dev/security.md). The
loader (``validate`` and every build) calls the checks here, so that one rule
lives in one place:

* ``check_tree``: no symlink, no file a browser would run, no file name that
  breaks out of a link, anywhere under docs/ (copied into the site) or the
  ledger folder;
* ``path_error``: a path a ledger names (narrative ``source``, evidence
  ``file``) stays inside the repository, outside .git/ and hidden folders,
  and reaches its file without a symlink;
* ``control_error`` / ``invisible_error``: characters a YAML escape can make,
  and the invisible ones that make two names look alike;
* ``remote_resources``: images and other resources fetched from another host;
* ``NameRegister``: owners (and people) whose names look the same but differ.

Leaf module: it imports nothing else of the package, so every reader can use it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# -- characters -------------------------------------------------------------

# Invisible control characters (a bell, NUL, a vertical tab): XML (docx, xlsx)
# cannot hold them and no reader sees them. Tab and newline are text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# Characters that print as nothing: zero-width spaces and joiners, direction
# marks and overrides, soft hyphen, word joiner, byte-order mark, Hangul
# fillers, variation selectors, tag characters. In a name they make a second
# department that looks exactly like the first.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]")

_NAMES = {"\u200b": "零宽空格", "\u200c": "零宽不连字", "\u200d": "零宽连字", "\ufeff": "零宽不换行空格（BOM）",
          "\u00ad": "软连字符", "\u2060": "词连接符", "\u200e": "从左到右标记", "\u200f": "从右到左标记",
          "\u202e": "从右到左覆盖"}


def _char(c: str) -> str:
    name = _NAMES.get(c)
    return f"U+{ord(c):04X}" + (f"，{name}" if name else "")


def control_error(text: str) -> str | None:
    """Why ``text`` (a YAML value after its escapes) cannot be kept, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return (f"含有看不见的控制字符（{_char(found[0])}），多半由引号里的转义写法（如 \\x01、\\0、\\a）产生；"
            "Word、Excel 和网页都无法原样保存它，请删除这个转义后再提交。")


def invisible_error(text: str) -> str | None:
    """Why a one-line value with an invisible character is refused, or None."""
    found = INVISIBLE.search(text)
    if found is None:
        return None
    return (f"第 {found.start() + 1} 个字符是看不见的字符（{_char(found[0])}），"
            "会让两个看起来相同的名称被当成不同的名称；它多半是复制粘贴带进来的，请删除后重新输入这段文字。")


# -- paths --------------------------------------------------------------------

# Files a browser runs as script or as a document of the site's own origin
# when opened from it. Evidence is a download or an image, never these.
EXECUTABLE = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".hta", ".svg", ".svgz",
                        ".xml", ".xsl", ".xslt", ".js", ".mjs", ".cjs", ".wasm", ".swf"})
# The project's own code shipped with the site, reviewed as code (CODEOWNERS),
# not as ledger data: the theme's assets (mkdocs.yml's extra_css and
# extra_javascript) and the 在线填报 form (Decap CMS: a page and its scripts).
CODE_DIRS = frozenset({"assets", "admin"})
# In a file or folder name these break a link or an HTML attribute ("<>'"&`),
# or a URL (#%?\).
UNSAFE_NAME = re.compile(r"[<>\"'&`#%?\\|*:]")

SYMLINK_MESSAGE = ("这是符号链接（快捷方式）：构建会读取并发布它指向的文件，可能是服务器上的任何文件；"
                   "Git 会保存符号链接本身，请删除它，改为提交文件本身。")


def name_error(name: str) -> str | None:
    """Why a file or folder name cannot be published as a link, or None."""
    found = UNSAFE_NAME.search(name) or CONTROL.search(name) or INVISIBLE.search(name)
    if found is None:
        return None
    shown = found[0] if found[0].isprintable() and not INVISIBLE.match(found[0]) else _char(found[0])
    return (f"文件名或文件夹名含有字符“{shown}”，它在网页链接里会出错，也可被用来插入脚本；"
            "请改名，只用汉字、字母、数字、空格和 - _ . （ ） 等常用符号（中文文件名可以照常使用）。")


def suffix_error(rel_to_docs: str) -> str | None:
    """Why a file under docs/ may not be published (a browser would run it), or None."""
    suffix = os.path.splitext(rel_to_docs)[1].lower()
    if suffix not in EXECUTABLE:
        return None
    if rel_to_docs.split("/", 1)[0] in CODE_DIRS:
        return None
    return (f"“{suffix}”文件会被浏览器当作网页或脚本执行，放在网站里可被用来在读者的浏览器中运行脚本，"
            "因此不能发布；佐证材料请转成 PDF 或图片（PNG、JPG），或压缩成 ZIP 后再提交。")


@dataclass(frozen=True)
class Refusal:
    """One file the build must not read or publish, with why (Chinese)."""

    rel: str  # relative to the repository, "/" separators
    message: str


def check_tree(folder: Path, repo: Path, *, site: bool) -> list[Refusal]:
    """Every symlink and unsafe name under ``folder``; with ``site`` (docs/,
    whose every file is copied into the site) also every file a browser runs.

    Walks without following links: a linked folder is reported, not entered.
    """
    if not folder.is_dir() or folder.is_symlink():
        return [Refusal(_rel(folder, repo), SYMLINK_MESSAGE)] if folder.is_symlink() else []
    found = []
    # Plain string prefixes: pathlib per entry was most of the walk's time.
    repo_prefix, folder_prefix = str(repo).rstrip("/") + "/", str(folder).rstrip("/") + "/"
    for entry in _walk(folder):
        rel = entry.path.removeprefix(repo_prefix)
        if entry.is_symlink():
            found.append(Refusal(rel, SYMLINK_MESSAGE))
            continue
        message = name_error(entry.name)
        if message is None and site and entry.is_file(follow_symlinks=False):
            message = suffix_error(entry.path.removeprefix(folder_prefix).replace(os.sep, "/"))
        if message:
            found.append(Refusal(rel, message))
    return found


def _walk(folder: Path) -> Iterator[os.DirEntry]:
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name in ("__pycache__", ".DS_Store"):
                    continue
                yield entry
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)


def site_file_error(path: Path, docs_dir: Path) -> str | None:
    """The build's own last check of a file MkDocs is about to copy: why not, or None."""
    if path.is_symlink() or not path.resolve().is_relative_to(docs_dir.resolve()):
        return SYMLINK_MESSAGE
    rel = path.relative_to(docs_dir).as_posix()
    return next((m for part in rel.split("/") if (m := name_error(part))), None) or suffix_error(rel)


def path_error(repo: Path, base: Path, value: str, what: str, place: str) -> str | None:
    """Why ``value`` (a path a ledger names, relative to ``base``) may not be
    read, or None. ``what`` names the kind of file, ``place`` where it belongs."""
    if CONTROL.search(value):
        return control_error(value)
    candidate = Path(os.path.normpath(base / value))
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError):
        return f"路径“{value}”无法读取；请写成仓库里的文件路径。"
    if not candidate.is_relative_to(repo) or not resolved.is_relative_to(repo):
        return f"文件“{value}”在仓库之外；{what}必须放在仓库里，例如 {place}。"
    if any(part.startswith(".") for part in resolved.relative_to(repo).parts + candidate.relative_to(repo).parts):
        return (f"文件“{value}”在隐藏文件夹（如 .git/）里或本身是隐藏文件；其中可能有仓库地址、口令等内部信息，"
                f"不能作为{what}发布；请把{what}放到 {place} 下。")
    if resolved != candidate:
        return f"文件“{value}”经过符号链接（快捷方式）指向别处；请直接引用文件本身。"
    return None


def _rel(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return path.as_posix()


# -- remote resources ----------------------------------------------------------

# An image or other resource the page would fetch from elsewhere: a Markdown
# image with an absolute or protocol-relative URL, or an HTML src/srcset/
# poster/data/background/href of <link> with one. Links (<a>, [text](http://…))
# are not fetched by opening the page and stay allowed.
_REMOTE = re.compile(
    r"!\[[^\]\n]*\]\(\s*<?\s*(?P<md>(?:[a-z][a-z0-9+.-]*:)?//[^)\s>]*)"
    r"|\b(?:src|srcset|poster|data|background|lowsrc|dynsrc)\s*=\s*[\"']?\s*(?P<html>(?:[a-z][a-z0-9+.-]*:)?//[^\"'\s>]*)"
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<ref>(?:[a-z][a-z0-9+.-]*:)?//\S*)",
    re.IGNORECASE | re.MULTILINE)


def remote_resources(text: str) -> list[tuple[int, str]]:
    """(line within ``text``, URL) of every resource fetched from another host.

    A reference definition ("[x]: http://…") is reported only when an image uses it.
    """
    found = []
    images = None
    for m in _REMOTE.finditer(text):
        url = m["md"] or m["html"] or m["ref"]
        if m["ref"]:
            images = images if images is not None else _image_refs(text)
            label = m[0].split("]", 1)[0].lstrip(" [").lower()
            if label not in images:
                continue
        found.append((text.count("\n", 0, m.start()) + 1, url))
    return found


def _image_refs(text: str) -> set[str]:
    return {m[1].lower() for m in re.finditer(r"!\[([^\]\n]*)\](?:\[\])?(?!\()", text)} | \
        {m[1].lower() for m in re.finditer(r"!\[[^\]\n]*\]\[([^\]\n]+)\]", text)}


REMOTE_MESSAGE = ("引用了外部网址的图片或资源“{url}”：网站在内网离线使用，打开页面时会向这个地址发出请求"
                  "（可被用来追踪读者或访问内网其他服务器）；请把图片放到 docs/evidence/ 下，用相对路径引用。")


# -- look-alike names -------------------------------------------------------------

# Letters of other scripts that print like Latin ones (after NFKC and casefold).
_CONFUSABLE = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ɑ": "a", "ɡ": "g", "ı": "i",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    "〇": "o", "ー": "一", "－": "-", "—": "-", "–": "-", "‐": "-", "‑": "-", "·": ".", "・": ".",
    "0": "o", "l": "i", "1": "i",
})


def skeleton(name: str) -> str:
    """What ``name`` looks like: names with one skeleton cannot be told apart on paper."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", name)).casefold()
    return "".join(text.translate(_CONFUSABLE).split())


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u052f]")


def mixes_scripts(name: str) -> bool:
    """Latin letters beside Cyrillic or Greek ones: no real name does that."""
    return bool(_CYRILLIC_GREEK.search(name) and _LATIN.search(name))


@dataclass
class NameRegister:
    """Names as typed across one ledger, to find two that look the same.

    ``note`` each occurrence; ``problems`` gives (path, line, field, message)
    for each name that mixes Latin with Cyrillic or Greek letters, and for
    each pair of different names with one skeleton (named together).
    """

    first: dict[tuple[str, str], tuple[str, str, int]] = field(default_factory=dict)  # (kind, skeleton) -> name, path, line
    reported: set[tuple[str, str]] = field(default_factory=set)
    noted: set[tuple[str, str]] = field(default_factory=set)  # (kind, name as typed)
    found: list[tuple[str, int, str, str]] = field(default_factory=list)

    def note(self, kind: str, name: str, path: str, line: int, field_name: str) -> None:
        if (kind, name) in self.noted:  # most names recur on many problems
            return
        self.noted.add((kind, name))
        key = (kind, skeleton(name))
        if not name or not key[1]:
            return
        if mixes_scripts(name) and (name, kind) not in self.reported:
            self.reported.add((name, kind))
            self.found.append((path, line, field_name,
                               f"“{name}”里混用了拉丁字母和形状相同的西里尔或希腊字母，看起来一样，却是另一个名称；"
                               "请切换到英文输入法重新输入其中的字母。"))
        earlier = self.first.setdefault(key, (name, path, line))
        if earlier[0] != name and (earlier[0], name) not in self.reported:
            self.reported.add((earlier[0], name))
            self.found.append((path, line, field_name,
                               f"“{name}”与 {earlier[1]}:{earlier[2]} 的“{earlier[0]}”看起来相同，但字符不同"
                               "（全角和半角、形近字母或看不见的字符），会被当成两个{kind}；请统一成同一种写法。"
                               .replace("{kind}", kind)))
