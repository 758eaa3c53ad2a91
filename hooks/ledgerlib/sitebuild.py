"""One build of the site: what the hook prepares in on_config for the later events.

``start_build`` makes (or, in the live preview, remakes what changed of) the
site and gathers what the MkDocs events need from it: the generated pages
and downloads, the slots to fill after sanitising, the search collector, the
form's configuration and the problem pages' form links.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .admin import FormSettings, config_file, form_links
from .downloads import Download
from .preview import Kind, Made, Preview, SiteInputs
from .render import SiteContent
from .search import SearchCollector


@dataclass(frozen=True)
class SiteBuild:
    repo: Path
    content: SiteContent
    downloads: list[Download]
    slots: dict[str, dict[str, str]]  # src_uri -> slot name -> generated HTML
    search: SearchCollector  # the indexed pages, gathered as they render
    form_config: str  # admin/config.yml (在线填报)
    form_links: dict[str, str]  # problem page src_uri -> its form address
    inputs: SiteInputs  # what the site was made from (the preview's refresh makes it again)
    kind: Kind | None = None  # the live preview's kind of build; None: a plain build or serve


def start_build(inputs: SiteInputs, form: FormSettings, preview: Preview | None) -> tuple[SiteBuild, Made]:
    """Raises LedgerInvalid or SiteSetupError as loading does."""
    kind, made = preview.make(inputs) if preview else (None, Made(*inputs.load(), {}))
    collection, site = made.collection, made.site
    by_file = form_links(collection)
    links = {p.src_uri: by_file[p.edit_path] for p in site.content.pages if p.edit_path in by_file}
    kept = preview.search if kind in (Kind.QUICK, Kind.REFRESH) else None
    search = SearchCollector(site.content, site.reports, kept)
    return SiteBuild(collection.repo, site.content, site.downloads, site.slots, search,
                     config_file(collection, inputs.repo, form), links, inputs, kind), made
