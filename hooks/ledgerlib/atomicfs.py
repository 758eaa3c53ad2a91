"""Replacing files so that a failure leaves the old ones as they were.

Commands that rewrite a folder (``import``, ``init``, ``nest``, ``build
--out``) write the new version beside the target first, in a staging folder
on the same disk, and only then swap it in with renames; files to remove
elsewhere are renamed aside, not deleted, until the swap has succeeded. An
error while writing leaves the target untouched; an error during the swap
puts back what was already moved. The old version is deleted last.

A staging folder starts as a copy of what the command keeps from the target
(hard links where the disk allows, so a folder of evidence costs nothing);
files the command writes are always new files (``write_new``), never written
through a link into the old version.

``replaced()`` lists what this process has swapped in, so that the command
line's last-resort message can say what really happened.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

_REPLACED: list[Path] = []


class SwapFailed(OSError):
    """The swap itself failed; what it had moved is back in place."""


def replaced() -> tuple[Path, ...]:
    """Targets swapped in by this process, in order."""
    return tuple(_REPLACED)


def _aside(path: Path, what: str, token: str) -> Path:
    return path.with_name(f".{path.name}.{what}-{token}")


def write_new(path: Path, data: str | bytes) -> None:
    """Write a file as a new file: a hard-linked copy of an old one is
    unlinked first, so the old version keeps its content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() or path.is_symlink():
        path.unlink()
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def link_copy(source: Path, target: Path) -> None:
    """``target`` becomes a copy of the file ``source``: a hard link where the
    disk allows one, else a real copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def link_tree(source: Path, target: Path, keep: Callable[[Path], bool] = lambda rel: True) -> None:
    """Copy the folder ``source`` into ``target`` (hard links), leaving out
    every path (relative to ``source``) that ``keep`` refuses."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        rel = path.relative_to(source)
        if not keep(rel):
            continue
        if path.is_dir() and not path.is_symlink():
            link_tree(path, target / rel.name, lambda inner, rel=rel: keep(rel / inner))
        else:
            link_copy(path, target / rel.name)


class Replacement:
    """Folders replaced and files removed together, or not at all.

    ``folder(target)`` gives a staging folder beside ``target`` to fill;
    ``remove(path)`` schedules a file's removal. Leaving the ``with`` block
    normally swaps everything in (``commit``); leaving it by an exception
    deletes the staging folders and changes nothing."""

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex[:8]
        self.folders: list[tuple[Path, Path]] = []  # (target, staging)
        self.removals: list[Path] = []

    def folder(self, target: Path, keep: Callable[[Path], bool] | None = None) -> Path:
        """A staging folder for ``target``; with ``keep``, it starts as a copy
        of the target's paths (relative to it) that ``keep`` accepts."""
        target = Path(target).absolute()
        staging = _aside(target, "new", self.token)
        staging.mkdir(parents=True)
        self.folders.append((target, staging))
        if keep is not None and target.is_dir():
            link_tree(target, staging, keep)
        return staging

    def remove(self, path: Path) -> None:
        self.removals.append(Path(path).absolute())

    def __enter__(self) -> Replacement:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def discard(self) -> None:
        for _, staging in self.folders:
            shutil.rmtree(staging, ignore_errors=True)

    def commit(self) -> None:
        undo: list[tuple[Path, Path]] = []  # (moved to, from): renames to reverse on failure
        try:
            for path in self.removals:
                if path.exists():
                    aside = _aside(path, "removed", self.token)
                    path.rename(aside)
                    undo.append((aside, path))
            for target, staging in self.folders:
                if target.exists():
                    old = _aside(target, "old", self.token)
                    target.rename(old)
                    undo.append((old, target))
                staging.rename(target)
                undo.append((target, staging))
        except OSError as exc:
            for moved, back in reversed(undo):
                moved.rename(back)
            self.discard()
            raise SwapFailed(exc.errno, f"替换“{exc.filename or ''}”失败：{exc.strerror or exc}", exc.filename) from exc
        _REPLACED.extend(target for target, _ in self.folders)
        self._clean_up()

    def _clean_up(self) -> None:
        """The old versions, once the new ones are in place. A leftover (a
        file held open on Windows) is harmless: it starts with a dot."""
        for path in self.removals:
            aside = _aside(path, "removed", self.token)
            if aside.exists():
                aside.unlink()
        for target, _ in self.folders:
            old = _aside(target, "old", self.token)
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            elif old.exists():
                old.unlink()
