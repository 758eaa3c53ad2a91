"""Read a report's text: paragraphs and table rows of a .txt, .md or .docx file.

Old reports are read as they were saved (UTF-16, GBK, UTF-8 with or without
BOM); a pasted web page's furniture (索引号, 打印本页…) is recognised so that
the report reader can report it rather than keep it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .importmodel import ImportFailed, SourceParagraph
from .textfile import looks_utf16

# Pasted web pages bring their page furniture along; it is reported, not kept.
_WEB_LEFTOVER = re.compile(
    r"^[【\[]?\s*(索引号|来源|信息来源|发布时间|发布日期|发布机构|发文机关|生成日期|成文日期|主题分类|"
    r"公开方式|公开时限|公开范围|文号|作者|编辑|责任编辑|浏览次数|阅读次数|点击数|访问量|字号|字体|"
    r"打印本页|打印|关闭窗口|关闭|分享到|扫一扫|保存本页|收藏|返回顶部|当前位置|您当前的位置)"
    r"\s*[】\]]?\s*([：:]|$|\s|[【\[])")
_WEB_INLINE = re.compile(r"打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|字体\s*[：:]\s*[【\[]?\s*大\s*中\s*小")


def read_paragraphs(path: Path) -> list[SourceParagraph]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        texts = _docx_texts(path)
    elif suffix in (".txt", ".md", ".markdown", ".text"):
        raw = decode_text(path.read_bytes())
        texts = [(t, False, ()) for t in (_markdown_blocks(raw) if suffix in (".md", ".markdown") else raw.splitlines())]
    else:
        raise ImportFailed(f"不支持的文件类型“{path.suffix}”；报告请使用 .txt、.md 或 .docx（.doc 请先用 Word 另存为 .docx），台账请使用 .xlsx 或 .csv。")
    result = []
    for text, in_table, cells in texts:
        text = _clean(text)
        if text:
            result.append(SourceParagraph(len(result) + 1, text, in_table, tuple(_clean(c) for c in cells)))
    return result


def decode_text(data: bytes) -> str:
    # An old report is read as it was saved, not refused: Notepad's "Unicode"
    # is UTF-16 (which gb18030 would turn into NUL-studded nonsense), and it
    # saves Chinese text as GBK ("ANSI") unless told otherwise.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif looks_utf16(data):
        encodings = ("utf-16-le",) if data[1:2] == b"\x00" else ("utf-16-be",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("无法识别文件编码；请用记事本“另存为”并选择 UTF-8 编码后重试。")


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u200b", "").strip(" \t\r\n\u3000")


_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _markdown_blocks(raw: str) -> list[str]:
    """Markdown paragraphs (blank-line separated), with the markup removed."""
    blocks, current = [], []
    for line in raw.splitlines():
        stripped = line.strip()
        if not stripped or _MD_HEADING.match(stripped):
            if current:
                blocks.append("".join(current))
                current = []
            if stripped:
                blocks.append(_MD_HEADING.sub("", stripped))
            continue
        current.append(stripped)
    if current:
        blocks.append("".join(current))
    return [_MD_ESCAPE.sub(r"\1", _MD_EMPHASIS.sub(r"\2", b)) for b in blocks]


def _docx_texts(path: Path) -> list[tuple[str, bool, list[str]]]:
    """Body paragraphs and table cells in document order."""
    import docx  # imported here: only the .docx import needs python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a bad file
        raise ImportFailed(f"无法打开 Word 文件（{exc}）；请确认是 .docx 格式且未加密。") from None
    result = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            result.append((DocxParagraph(child, document).text, False, []))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = _unique_cells(row)
                result.append((" | ".join(cells), True, cells))
    return result


def _unique_cells(row) -> list[str]:
    # Merged cells repeat in python-docx; keep each once.
    seen, texts = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            texts.append(cell.text.strip())
    return texts



def is_web_leftover(text: str) -> bool:
    return bool(_WEB_LEFTOVER.match(text) or (len(text) < 80 and _WEB_INLINE.search(text)))

