"""A Word file that says it is Chinese, everywhere a program may look.

python-docx's template is a Japanese-locale Word document: settings.xml
declares ``w:eastAsia="ja-JP"``, the font table lists ＭＳ 明朝 and ＭＳ
ゴシック and none of the fonts the text uses, and the theme's East Asian
fonts are Japanese. Where the GB2312 fonts are missing (WPS, Word on a 信创
desktop), a program that follows the declared language picks Japanese
faces, whose glyphs differ from the Chinese standard forms (GB 18030).

``rewrite(name, blob)`` is applied to each part as export_docx saves the
file: zh-CN for every East Asian language declaration, a font table of the
fonts the 公文 uses (with the fallbacks Word and WPS read from ``altName``),
and the theme's East Asian faces Chinese, without the Japanese script entries.
"""

from __future__ import annotations

import re

EAST_ASIAN_LANGUAGE = "zh-CN"

# The Chinese fonts of export_docx, with the fallback Word/WPS/LibreOffice
# read from w:altName, and GB2312's charset (0x86).
CHINESE_FONTS = (
    ("仿宋_GB2312", "仿宋", "modern", "fixed"),  # body, 3号
    ("方正小标宋简体", "宋体", "script", "fixed"),  # title, 2号
    ("黑体", "SimHei", "modern", "fixed"),  # 一、
    ("楷体_GB2312", "楷体", "modern", "fixed"),  # （一）
    ("宋体", "SimSun", "auto", "variable"),  # page numbers
)
_JAPANESE = re.compile(r"\s*<w:font w:name=\"ＭＳ [^\"]*\">.*?</w:font>", re.S)
_THEME_JAPANESE = re.compile(r"\s*<a:font script=\"Jpan\" typeface=\"[^\"]*\"/>")
_LANGUAGE = re.compile(r'(w:eastAsia=")[a-z]{2}-[A-Z]{2}(")')


def _font_xml(name: str, alt: str, family: str, pitch: str) -> str:
    return (f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')


def _font_table(xml: str) -> str:
    xml = _JAPANESE.sub("", xml)
    fonts = "".join(_font_xml(*f) for f in CHINESE_FONTS if f'w:name="{f[0]}"' not in xml)
    return xml.replace("</w:fonts>", fonts + "</w:fonts>")


def _theme(xml: str) -> str:
    xml = _THEME_JAPANESE.sub("", xml)
    # The East Asian face of the major (headings) and minor (body) fonts.
    major, minor = xml.find("<a:majorFont>"), xml.find("<a:minorFont>")
    for start, face in sorted(((major, "黑体"), (minor, "仿宋_GB2312")), reverse=True):
        if start >= 0:
            xml = xml[:start] + xml[start:].replace('<a:ea typeface=""/>', f'<a:ea typeface="{face}"/>', 1)
    return xml


def rewrite(name: str, blob: bytes) -> bytes:
    """The part ``name`` of a saved .docx, declared Chinese."""
    if name == "word/fontTable.xml":
        return _font_table(blob.decode("utf-8")).encode("utf-8")
    if name == "word/theme/theme1.xml":
        return _theme(blob.decode("utf-8")).encode("utf-8")
    if name in ("word/settings.xml", "word/styles.xml"):
        return _LANGUAGE.sub(rf"\g<1>{EAST_ASIAN_LANGUAGE}\g<2>", blob.decode("utf-8")).encode("utf-8")
    return blob
