"""Commands that replace files write beside the target and swap (atomicfs):
a failure part-way leaves the old files byte for byte, and the command line
says what really happened (issue 25, item 5; issue 20, item 8)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, SEED_REPORT, copy_repo, ledger_cli
from ledgerlib import atomicfs, ledgerwriter
from ledgerlib.buildenv import SITE_MARKER
from ledgerlib.commands import nest
from ledgerlib.commands.build import BuildError, check_out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (also hidden ones) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    """Staging or set-aside copies a swap would leave beside its target."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".") and "-" in p.name)


class Boom(RuntimeError):
    pass


def fail_on_call(monkeypatch, module, name: str, n: int) -> None:
    """``module.name`` raises on its n-th call: a failure part-way through."""
    real, calls = getattr(module, name), []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise Boom("injected")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


@pytest.fixture
def imported_ledger(tmp_path) -> Path:
    """A ledger imported from the seed report, plus a file of another kind
    (evidence kept in the folder) that a rewrite must carry along."""
    out = tmp_path / "repo" / "issues"
    (tmp_path / "repo" / "mkdocs.yml").parent.mkdir(parents=True)
    assert ledger_cli("import", SEED_REPORT, "--out", out).returncode == 0
    (out / "evidence").mkdir()
    (out / "evidence" / "会议纪要.pdf").write_bytes(b"%PDF-1.4 old")
    return out


def test_a_failure_part_way_through_import_force_leaves_the_folder_byte_identical(imported_ledger, monkeypatch):
    before = snapshot(imported_ledger)
    assert len(before) > 10
    fail_on_call(monkeypatch, ledgerwriter, "problem_md", 5)  # four problem files written, then the error
    monkeypatch.delenv("LEDGER_DEBUG", raising=False)
    result = ledger_cli("import", SEED_REPORT, "--out", imported_ledger, "--force")
    assert result.returncode == 1
    assert "没有修改任何文件" in result.stderr and "Boom" in result.stderr
    assert snapshot(imported_ledger) == before
    assert leftovers(imported_ledger.parent) == []


def test_import_force_keeps_files_of_other_kinds_and_replaces_the_ledger(imported_ledger):
    (imported_ledger / "99-旧问题.md").write_text("---\nid: 99\n---\n", encoding="utf-8")
    result = ledger_cli("import", SEED_REPORT, "--out", imported_ledger, "--force")
    assert result.returncode == 0, result.stderr
    assert not (imported_ledger / "99-旧问题.md").exists()
    assert (imported_ledger / "evidence" / "会议纪要.pdf").read_bytes() == b"%PDF-1.4 old"
    assert leftovers(imported_ledger.parent) == []


def test_a_failed_swap_puts_back_what_it_had_moved(tmp_path, monkeypatch):
    target = tmp_path / "issues"
    target.mkdir()
    (target / "a.md").write_text("old", encoding="utf-8")
    outside = tmp_path / "docs" / "x.md"
    outside.parent.mkdir()
    outside.write_text("narrative", encoding="utf-8")
    before_target, before_docs = snapshot(target), snapshot(outside.parent)
    real_rename = Path.rename

    def rename(self, to):
        if ".new-" in self.name:  # the staging folder's move into place
            raise PermissionError(13, "拒绝访问", str(self))
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(atomicfs.SwapFailed), atomicfs.Replacement() as swap:
        stage = swap.folder(target, keep=lambda rel: True)
        atomicfs.write_new(stage / "a.md", "new")
        swap.remove(outside)
    assert snapshot(target) == before_target and snapshot(outside.parent) == before_docs
    assert leftovers(tmp_path) == [] and leftovers(outside.parent) == []


def test_write_new_never_writes_through_a_hard_link_into_the_old_file(tmp_path):
    old = tmp_path / "old.md"
    old.write_text("old", encoding="utf-8")
    copy = tmp_path / "copy" / "old.md"
    atomicfs.link_copy(old, copy)
    atomicfs.write_new(copy, "new")
    assert old.read_text(encoding="utf-8") == "old" and copy.read_text(encoding="utf-8") == "new"


def test_a_failure_part_way_through_init_leaves_the_sample_as_it_was(tmp_path, monkeypatch):
    repo = copy_repo(tmp_path / "repo")
    shutil.copytree(REPO / "scripts", repo / "scripts")
    before_issues, before_docs = snapshot(repo / "issues"), snapshot(repo / "docs")
    fail_on_call(monkeypatch, ledgerwriter, "ledger_yml", 1)  # after the narratives, before ledger.yml
    result = ledger_cli("--ledger", repo / "issues", "init", "--unit", "区财政局党组", "--round", "五届区委第三轮常规巡察",
                        "--group", "区委第二巡察组", "--feedback-date", "2024-05-16", "--force", cwd=repo, repo=repo)
    assert result.returncode == 1 and "没有修改任何文件" in result.stderr
    assert snapshot(repo / "issues") == before_issues and snapshot(repo / "docs") == before_docs
    assert leftovers(repo) == []


def test_a_failure_part_way_through_nest_leaves_issues_as_it_was(tmp_path, monkeypatch):
    repo = copy_repo(tmp_path / "repo")
    before_issues, before_docs = snapshot(repo / "issues"), snapshot(repo / "docs")
    fail_on_call(monkeypatch, nest, "write_new", 1)
    result = ledger_cli("--ledger", repo / "issues", "nest", "2023-区委巡察", cwd=repo, repo=repo)
    assert result.returncode == 1 and "没有修改任何文件" in result.stderr
    assert snapshot(repo / "issues") == before_issues and snapshot(repo / "docs") == before_docs
    assert leftovers(repo) == [] and leftovers(repo / "issues") == []


def test_build_out_refuses_a_folder_it_did_not_create(tmp_path):
    mine = tmp_path / "我的文件"
    mine.mkdir()
    (mine / "工作总结.docx").write_bytes(b"keep me")
    result = ledger_cli("build", "--out", mine)
    assert result.returncode == 1
    assert "不是空文件夹，也不是以前构建生成的网站" in result.stderr and "未做任何修改" in result.stderr
    assert snapshot(mine) == {"工作总结.docx": b"keep me"}
    file = tmp_path / "site.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="是一个文件"):
        check_out(file)


def test_build_out_replaces_an_empty_folder_or_a_previous_build(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    check_out(empty)
    check_out(tmp_path / "new")
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "index.html").write_text("old site", encoding="utf-8")
    (previous / SITE_MARKER).write_text("", encoding="utf-8")
    check_out(previous)


def test_every_built_site_carries_the_marker(sample_site):
    assert (sample_site / SITE_MARKER).is_file()
