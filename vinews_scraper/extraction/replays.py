"""Pages replayed by the Wayback Machine, read as the original page (docs/field-rules.md, last
paragraph): the archive's toolbar taken off, the URLs it rewrote given back as the originals, and
the capture kept as provenance. District portals now shut down survive mostly as such replays.
"""

from __future__ import annotations

import re

from lxml import etree

from ..wayback import capture_time, split_replay_url
from .dom import drop_tree

_TOOLBAR = re.compile(r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->",
                      re.DOTALL)
_EDGE = 4096  # characters: the archive's scripts open the <head>, its "FILE ARCHIVED ON" note ends the page
_TOOLBAR_IDS = ("wm-ipp-base", "wm-ipp", "wm-ipp-print", "donato")


def is_replay(url: str, text: str) -> bool:
    """True for a replay URL, or a page carrying the archive's insertions (a replay saved from a
    browser and read under its original URL)."""
    return split_replay_url(url) is not None or "__wm." in text[:_EDGE] or "FILE ARCHIVED ON" in text[-_EDGE:]


def without_toolbar(text: str) -> str:
    """The page text without the toolbar the archive inserts after ``<body>`` (its capture counts
    and dates would read as the page's)."""
    return _TOOLBAR.sub("", text)


def restore_original_page(root: etree._Element) -> None:
    """Give every URL the archive rewrote back its original, so links to other hosts stay links
    elsewhere; remove the toolbar's elements when its comment markers were lost (a DOM copy)."""
    for el in [el for el in root.iter(etree.Element) if el.get("id") in _TOOLBAR_IDS]:
        if el.getparent() is not None:
            drop_tree(el)
    for el in root.iter(etree.Element):
        for name, value in el.items():
            if "/web/" in value:
                el.set(name, original_url(value))


def original_url(url: str) -> str:
    """The URL the archive rewrote into ``url`` (``…/web/<ts>im_/<original>``), else ``url``."""
    replay = split_replay_url(url)
    return replay[1] if replay else url


def capture_provenance(url: str) -> dict:
    """``archive_url``, ``wayback_timestamp`` and ``fetched_at`` (the capture's moment) of the
    replay URL ``url``; empty for another URL (a replay saved and read under the original URL)."""
    replay = split_replay_url(url)
    if replay is None:
        return {}
    return {"archive_url": url, "wayback_timestamp": replay[0], "fetched_at": capture_time(replay[0])}
