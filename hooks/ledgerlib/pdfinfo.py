"""Document properties for the PDF Chromium prints.

Chromium writes only the page title into a PDF's Info dictionary. The sent
copy of a report leaves the trace line off the page (report.trace: false),
so the commit it was built from goes into the PDF's Keywords and Subject
instead, where a reader's 文档属性 shows it.

This appends an incremental update (PDF 1.7, 7.5.6): a new version of the
Info object, one cross-reference entry and a trailer pointing back at the
previous one. The file's bytes are kept; any reader sees the new Info.
A PDF whose structure is not the classic one Chromium writes is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)
_REF = rb"/%s\s+(\d+)\s+(\d+)\s+R"


def pdf_string(text: str) -> bytes:
    """A text string as PDF writes one: UTF-16BE with a byte-order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def add_info(path: Path, fields: dict[str, str]) -> bool:
    """Add or replace Info entries (Title, Author, Subject, Keywords…) in ``path``.

    Returns False, changing nothing, when the file is not laid out as expected."""
    data = path.read_bytes()
    trailer = _TRAILER.search(data[-4096:])
    if not trailer:
        return False
    body, prev = trailer.group(1), int(trailer.group(2))
    info, root = re.search(_REF % b"Info", body), re.search(_REF % b"Root", body)
    size = re.search(rb"/Size\s+(\d+)", body)
    if not (info and root and size):
        return False
    number, generation = int(info.group(1)), int(info.group(2))
    # The last version of the object is the one in force (an earlier update may have written it).
    versions = re.findall(rb"\n%d %d obj\s*<<(.*?)>>\s*endobj" % (number, generation), data, re.S)
    entries = versions[-1] if versions else b""
    for key, value in fields.items():
        entries = re.sub(rb"/%s\s*(\([^)]*\)|<[^>]*>)" % key.encode(), b"", entries)
        entries += b"\n/" + key.encode() + b" " + pdf_string(value)
    obj = b"%d %d obj\n<<%s>>\nendobj\n" % (number, generation, entries)
    start = len(data) + (0 if data.endswith(b"\n") else 1)
    xref = start + len(obj)
    update = (obj + b"xref\n%d 1\n%010d %05d n \n" % (number, start, generation)
              + b"trailer\n<</Size %s /Root %s %s R /Info %d %d R /Prev %d>>\nstartxref\n%d\n%%%%EOF\n"
              % (size.group(1), root.group(1), root.group(2), number, generation, prev, xref))
    with path.open("ab") as f:
        if not data.endswith(b"\n"):
            f.write(b"\n")
        f.write(update)
    return True
