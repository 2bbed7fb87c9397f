"""The portal registry: sites and CMS families are data (``sites.toml``), not code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit


class RegistryError(ValueError):
    """The registry file is malformed or names something that does not exist."""


SELECTOR_FIELDS = ("title", "content", "category", "published", "author", "view_count", "next_page")


@dataclass(frozen=True)
class Family:
    """A CMS family: selectors (CSS, or XPath when prefixed ``xpath:``) tried before the generic
    rules for each field, and the shape of its article URLs (a regular expression)."""

    name: str
    description: str = ""
    title: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    view_count: tuple[str, ...] = ()
    article_link: str = ""
    next_page: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """One portal: its registry key, name, hosts, listing start URLs and family."""

    key: str
    name: str
    hosts: tuple[str, ...]
    listing_urls: tuple[str, ...]
    family: Family
    overrides: dict = field(default_factory=dict, compare=False, hash=False)

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of this portal's hosts."""
        return host_of(url) in self.hosts

    @property
    def profile(self) -> Family:
        """The family's profile with this portal's overrides applied (same family name)."""
        if not self.overrides:
            return self.family
        return replace(self.family, **self.overrides)


def host_of(url: str) -> str:
    """The lower-case host (with a non-default port) of ``url``; "" for a URL that cannot be
    parsed (an unbalanced IPv6 bracket, a port out of range), which is then on no portal."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return ""


@dataclass(frozen=True)
class Registry:
    families: dict[str, Family]
    sites: dict[str, Site]

    def site(self, key: str) -> Site:
        try:
            return self.sites[key]
        except KeyError:
            known = ", ".join(sorted(self.sites))
            raise RegistryError(f"unknown site {key!r}; registered sites: {known}") from None

    def site_for_url(self, url: str) -> Site | None:
        """The registered portal serving ``url``, or None for an unknown host."""
        host = host_of(url)
        for site in self.sites.values():
            if host in site.hosts:
                return site
        return None

    def with_site(self, site: Site) -> "Registry":
        """A copy of this registry with ``site`` added (or replaced)."""
        return Registry(self.families, {**self.sites, site.key: site})


def _selectors(owner: str, data: dict) -> dict:
    """The selector lists and article-link pattern of a family or a site's overrides, checked."""
    unknown = set(data) - set(SELECTOR_FIELDS) - {"article_link", "description"}
    if unknown:
        raise RegistryError(f"{owner}: unknown setting(s) {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(SELECTOR_FIELDS + ('article_link',))}")
    out: dict = {}
    for name in SELECTOR_FIELDS:
        if name in data:
            value = data[name]
            out[name] = (value,) if isinstance(value, str) else tuple(value)
    if "article_link" in data:
        try:
            re.compile(data["article_link"])
        except re.error as exc:
            raise RegistryError(f"{owner}: article_link is not a valid regular expression: {exc}") from None
        out["article_link"] = data["article_link"]
    return out


def _family(name: str, data: dict) -> Family:
    return Family(name=name, description=data.get("description", ""),
                  **_selectors(f"family {name!r}", data))


def parse_registry(data: dict, known_families: dict[str, Family] | None = None) -> Registry:
    """Build a Registry from the decoded TOML document, checking every reference.

    ``known_families`` (the shipped ones) may be named by the document's sites without being
    redefined there.
    """
    families = dict(known_families or {})
    families.update({name: _family(name, spec) for name, spec in data.get("families", {}).items()})
    families.setdefault("generic", Family(name="generic"))
    sites = {}
    for key, spec in data.get("sites", {}).items():
        missing = [f for f in ("name", "listing_urls") if f not in spec]
        if missing:
            raise RegistryError(f"site {key!r} lacks {', '.join(missing)}")
        family_name = spec.get("family", "generic")
        if family_name not in families:
            raise RegistryError(f"site {key!r} names unknown family {family_name!r}")
        listing_urls = tuple(spec["listing_urls"])
        hosts = tuple(h.lower() for h in spec.get("hosts", ())) or tuple(
            dict.fromkeys(host_of(u) for u in listing_urls)
        )
        sites[key] = Site(
            key=key,
            name=spec["name"],
            hosts=hosts,
            listing_urls=listing_urls,
            family=families[family_name],
            overrides=_selectors(f"site {key!r} overrides", spec.get("overrides", {})),
        )
    return Registry(families, sites)


def load_registry(path: str | Path | None = None) -> Registry:
    """Load a registry file (its sites may use the shipped families), or the shipped registry."""
    if path is None:
        return default_registry()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise RegistryError(f"cannot read registry {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"registry {path} is not valid TOML: {exc}") from None
    return parse_registry(data, default_registry().families)


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    text = resources.files("vinews_scraper").joinpath("sites.toml").read_text(encoding="utf-8")
    return parse_registry(tomllib.loads(text))
