"""An owner one character off another gets a did-you-mean, even without departments: (#21 item 8)."""

from __future__ import annotations

from conftest import ledger_cli
from ledger_fixtures import LEDGER_YML, issue_text, write_ledger
from ledgerlib import load_ledger
from ledgerlib.ownertypos import OwnerTally


def owners(*names: str) -> dict[str, str]:
    return {f"{n:02d}-p.md": issue_text(n).replace("owner: 办公室", f"owner: {name}")
            for n, name in enumerate(names, start=1)}


def test_the_rarer_spelling_is_warned_with_its_place_and_the_other(tmp_path):
    folder = write_ledger(tmp_path, owners("财务审计股", "财务审计股", "财物审计股", "办公室"))
    ledger = load_ledger(folder)
    assert ledger is not None  # a warning: the ledger loads and builds
    messages = [str(w) for w in ledger.warnings]
    typo = [m for m in messages if "只差一个字" in m]
    assert len(typo) == 1
    assert typo[0].startswith("issues/03-p.md:6: owner: 警告：责任部门“财物审计股”与“财务审计股”（issues/01-p.md:6 等 2 处）")
    assert "departments" in typo[0]


def test_validate_shows_it_and_strict_refuses(tmp_path):
    folder = write_ledger(tmp_path, owners("财务审计股", "财物审计股"))
    shown = ledger_cli("--ledger", folder, "validate", cwd=tmp_path, repo=tmp_path)
    assert shown.returncode == 0 and "issues/02-p.md:6: owner: 警告：责任部门“财物审计股”与“财务审计股”" in shown.stdout + shown.stderr
    strict = ledger_cli("--ledger", folder, "validate", "--strict", cwd=tmp_path, repo=tmp_path)
    assert strict.returncode != 0


def test_a_measure_owner_counts_too(tmp_path):
    measured = issue_text(2, extra="measures:\n  - text: 修订制度\n    owner: 财物审计股\n    status: 整改中\n")
    folder = write_ledger(tmp_path, {**owners("财务审计股"), "02-q.md": measured})
    typo = [str(w) for w in load_ledger(folder).warnings if "只差一个字" in str(w)]
    assert len(typo) == 1 and "issues/02-q.md:" in typo[0] and "measures[1].owner" in typo[0]


def test_numbered_short_and_listed_departments_are_left_alone(tmp_path):
    folder = write_ledger(tmp_path, owners("第一党支部", "第二党支部", "党建办", "党政办", "一科", "二科"))
    assert not [w for w in load_ledger(folder).warnings if "只差一个字" in str(w)]
    listed = LEDGER_YML + "departments: [财务审计股, 财物审计股, 办公室]\n"
    folder = write_ledger(tmp_path / "listed", owners("财务审计股", "财物审计股"), listed)
    assert not [w for w in load_ledger(folder).warnings if "只差一个字" in str(w)]


def test_the_work_grows_with_the_names_not_with_their_pairs():
    tally = OwnerTally()
    for n in range(20_000):
        tally.note(f"部门{n:05d}科室", "issues/x.md", n, "owner")  # digits apart: no pair is a typo
    assert tally.warnings() == []
