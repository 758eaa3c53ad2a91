"""在线填报: the Decap CMS configuration at /admin/config.yml, made from the ledgers.

The form editor (docs/admin/: Decap's vendored bundle, index.html and the
problem-file format ledger-form.js) is static; what it edits is described
here, from the loaded ledgers, on every build, so that the form's choices are
exactly ledger.yml's categories, statuses and departments. Nothing here
imports MkDocs; the adapter adds ``config_file`` to the site as a generated
file and points each problem page's edit button at ``form_link``.

The Git server's settings come from mkdocs.yml ``extra.form`` (see
``FormSettings``); a ``LEDGER_FORM_PROXY`` build (``make serve``, the
tests) also lets Decap use a local ``decap-server``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml

from .adminfields import narrative_files, problem_fields, repo_path, signoff_fields
from .constants import SIGNOFF_FILE
from .ledgers import Collection, LedgerRef
from .model import Ledger

CONFIG_SRC = "admin/config.yml"
FORM_URL = "admin/"
EVIDENCE_ROOT = "docs/evidence"
BACKENDS = ("gitlab", "gitea", "github")
FORMAT = "ledger-problem"  # registered by docs/admin/ledger-form.js
TEXT_FORMAT = "ledger-text"
SIGNOFF_FORMAT = "ledger-signoff"

# Decap's default messages are English; {{slug}} and {{path}} are Decap's.
# A problem's own save is named by ledger-form.js ("更新问题 5：整改状态 …").
COMMIT_MESSAGES = {
    "create": "新增 {{collection}}：{{slug}}",
    "update": "更新 {{collection}}：{{slug}}",
    "delete": "删除 {{collection}}：{{slug}}",
    "uploadMedia": "上传佐证材料 {{path}}",
    "deleteMedia": "删除佐证材料 {{path}}",
    "openAuthoring": "{{message}}",
}


@dataclass(frozen=True)
class FormSettings:
    """mkdocs.yml ``extra.form``: where the Git server is and how to log in.

    ``backend`` is gitlab (default), gitea or github; ``repo`` is
    "group/project"; ``base_url`` the server, ``api_root`` its API;
    ``app_id`` the OAuth application IT registered (PKCE: no secret in the
    site). Missing values come from mkdocs.yml's ``repo_url``.
    """

    backend: str = "gitlab"
    repo: str = ""
    branch: str = "main"
    base_url: str = ""
    api_root: str = ""
    app_id: str = ""
    auth_type: str = "pkce"
    proxy: str = ""  # a local decap-server (BuildEnv.form_proxy)

    @classmethod
    def read(cls, extra: dict | None, repo_url: str = "", proxy: str | None = None) -> FormSettings:
        given = extra if isinstance(extra, dict) else {}
        parts = urlsplit(repo_url or "")
        server = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        backend = str(given.get("backend") or "gitlab")
        base_url = str(given.get("base_url") or server)
        api = {"gitlab": "/api/v4", "gitea": "/api/v1", "github": ""}.get(backend, "")
        return cls(backend=backend, repo=str(given.get("repo") or parts.path.strip("/").removesuffix(".git")),
                   branch=str(given.get("branch") or "main"), base_url=base_url,
                   api_root=str(given.get("api_root") or (base_url + api if base_url and api else "")),
                   app_id=str(given.get("app_id") or ""), auth_type=str(given.get("auth_type") or "pkce"),
                   proxy=proxy or "")

    def backend_config(self) -> dict:
        config = {"name": self.backend, "repo": self.repo, "branch": self.branch}
        if self.backend != "github":
            config.update(base_url=self.base_url, api_root=self.api_root, auth_type=self.auth_type,
                          app_id=self.app_id)
            if self.backend == "gitlab":
                config["auth_endpoint"] = "oauth/authorize"
        config["commit_messages"] = COMMIT_MESSAGES
        return {k: v for k, v in config.items() if v != ""}


def collection_name(ref: LedgerRef) -> str:
    """The ledger's collection in the form: its folder name ("issues" for the one ledger)."""
    return ref.name or ref.path.name


def evidence_folder(ref: LedgerRef) -> str:
    """Where the form uploads a ledger's evidence: docs/evidence[/<ledger>]."""
    return f"{EVIDENCE_ROOT}/{ref.name}" if ref.name else EVIDENCE_ROOT


@functools.lru_cache(maxsize=1 << 16)  # asked for every problem on every live-preview build
def form_link(ref: LedgerRef, rel_path: str) -> str:
    """The form's address of one problem, relative to the site root."""
    slug = Path(rel_path).stem
    return f"{FORM_URL}#/collections/{quote(collection_name(ref))}/entries/{quote(slug)}"


def form_links(collection: Collection) -> dict[str, str]:
    """Problem file (relative to the repository) -> its form address."""
    return {issue.rel_path: form_link(ref, issue.rel_path) for ref, ledger in collection.entries
            for issue in ledger.issues}


def config_file(collection: Collection, repo: Path, settings: FormSettings) -> str:
    """admin/config.yml: Decap's configuration, as YAML."""
    text = yaml.safe_dump(form_config(collection, repo, settings), allow_unicode=True, sort_keys=False,
                          width=1000)
    return "# 由 hooks/ledgerlib/admin.py 在构建时按台账生成，请勿手工修改。\n" + text


def form_config(collection: Collection, repo: Path, settings: FormSettings) -> dict:
    config: dict = {"locale": "zh_Hans", "backend": settings.backend_config()}
    if settings.proxy:
        config["local_backend"] = {"url": settings.proxy}
    config.update({
        "publish_mode": "editorial_workflow",
        "media_folder": EVIDENCE_ROOT,
        "public_folder": EVIDENCE_ROOT,
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "show_preview_links": False,
        "collections": [],
    })
    for ref, ledger in collection.entries:
        config["collections"] += ledger_collections(ref, ledger, repo)
    return config


def ledger_collections(ref: LedgerRef, ledger: Ledger, repo: Path) -> list[dict]:
    name = collection_name(ref)
    folder = repo_path(ref.path, repo)
    evidence = evidence_folder(ref)
    next_id = max((i.id for i in ledger.issues), default=0) + 1
    label = ledger.unit or ledger.title or name
    problems = {
        "name": name,
        "label": f"问题：{label}" if ref.name else "问题",
        "label_singular": "问题",
        "description": f"{ledger.title}（{ledger.round}）" if ledger.round else ledger.title,
        "folder": folder,
        "extension": "md",
        "format": FORMAT,
        "create": True,
        "delete": False,
        "slug": "{{fields.__file}}",
        "identifier_field": "title",
        "summary": "{{id}}. {{title}}（{{status}}）",
        "sortable_fields": ["id", "title", "status", "deadline"],
        "view_filters": [{"label": s.label, "field": "status", "pattern": f"^{s.label}$"} for s in ledger.statuses],
        "media_folder": f"/{evidence}",
        "public_folder": evidence,
        "editor": {"preview": False},
        "fields": problem_fields(ledger, next_id),
    }
    collections = [problems]
    files = narrative_files(ledger, repo)
    if files:
        collections.append({"name": f"{name}-narratives", "label": f"报告叙述：{label}" if ref.name else "报告叙述",
                            "editor": {"preview": False}, "delete": False,
                            "files": [{**f, "format": TEXT_FORMAT} for f in files]})
    collections.append({
        "name": f"{name}-signoff", "label": f"销号（巡察办）：{label}" if ref.name else "销号（巡察办）",
        "description": "巡察办审核同意销号后在此登记；合并请求由巡察办审核。", "delete": False,
        "editor": {"preview": False},
        "files": [{"name": "signoff", "label": "销号记录（signoff.yml）", "file": f"{folder}/{SIGNOFF_FILE}",
                   "format": SIGNOFF_FORMAT, "fields": signoff_fields(ledger)}],
    })
    return collections
