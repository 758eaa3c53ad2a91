"""Reports of the genre, written on the fly: the seed in other clothes
(.docx, half-width punctuation) and a small report with the variations."""

from __future__ import annotations

import subprocess
from pathlib import Path

# Full-width punctuation and its half-width twin, as people type it in a hurry.
HALF_WIDTH = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})


def half_width(text: str) -> str:
    return text.translate(HALF_WIDTH)


def libreoffice_resave(source: Path, folder: Path) -> Path:
    """``source`` opened and saved again as .xlsx by LibreOffice, as clerks
    open and save the 台账 in WPS or LibreOffice; the copy is under ``folder``."""
    profile = (folder / "profile").as_uri()  # a private profile: other soffice runs hold their own lock
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                           "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder / "saved"), str(source)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return folder / "saved" / source.name


def write_docx(lines: list[str], path: Path) -> Path:
    """A Word file with one paragraph per line, as offices write them."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


# Problems restart at 1 in each category; one uses 整改措施：, one has no
# label and its status at the end of the measures, one is in progress
# (正在整改), one long-term; numbered points under 一、 are not problems; web
# page furniture at the top and bottom; a signature at the end.
VARIANTS = """\
索引号：11230000-2023-00012
来源：县水务局    发布时间：2023-07-05
【字体：大 中 小】 打印本页 关闭窗口
县水务局党组关于巡察整改情况的通报
根据县委统一部署，2023年3月1日至4月30日，县委第二巡察组对县水务局党组开展了常规巡察。2023年5月10日，县委第二巡察组向县水务局党组反馈了巡察意见，现将整改情况报告如下。
一、提高政治站位，扎实推进整改
1.召开专题会议。党组召开专题会议研究整改工作。
2.建立整改台账。逐项明确责任和时限。
二、巡察反馈问题整改落实情况
(一)在贯彻落实党中央决策部署方面
1.河长制落实不到位.部分河段巡河记录不全.
整改措施:建立巡河记录月检查制度,补齐巡河记录.
目前,此项问题已整改完毕.
2.水资源管理制度执行不严。取水许可审批把关不严。
整改措施：
一是修订取水许可审批规程。二是开展取水口专项检查。
目前，该问题正在整改。
（二）在全面从严治党方面
1．党组理论学习不深入。学习计划落实不到位。
修订党组理论学习中心组学习制度，全年安排学习12次。截至目前，该问题已完成整改。
2、干部作风建设有差距。个别干部服务意识不强。
开展作风建设专项行动，公开承诺服务事项。
目前，此项问题已取得阶段性成效，需长期坚持。
三、下一步工作打算
持续巩固整改成果，建立长效机制。
县水务局党组
2023年7月5日
分享到：
"""
