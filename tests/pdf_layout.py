"""Reading back what a real client printed: the lines of a PDF with their
positions (poppler's pdftotext -bbox-layout), and the programs themselves.

Tests that need a program fail rather than skip when CI is set, so that a CI
machine missing it cannot pass silently (.ci/run installs them).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def require(*tools: str, hint: str) -> None:
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        message = f"missing {', '.join(missing)} ({hint})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Line:
    x0: float
    x1: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def text_lines(self) -> list[Line]:
        """The lines without the page number."""
        return [line for line in self.lines if not PAGE_NUMBER.match(line.text.replace(" ", ""))]


def read_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for width, height, body in _PAGE.findall(out):
        lines = []
        for x0, _y0, x1, _y1, inner in _LINE.findall(body):
            words = tuple(Word(float(a), float(b), float(c), float(d), html.unescape(t))
                          for a, b, c, d, t in _WORD.findall(inner))
            lines.append(Line(float(x0), float(x1), words))
        pages.append(Page(float(width), float(height), tuple(lines)))
    return pages


def soffice_pdf(source: Path, outdir: Path) -> Path:
    """``source`` converted by LibreOffice itself, as a clerk's "export as PDF" would."""
    require("soffice", "pdftotext", hint="apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"  # a private profile: parallel runs do not share a lock
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=300)
    pdf = outdir / (source.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    return pdf
