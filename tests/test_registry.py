"""The registry: shipped portals, config-only onboarding, per-site overrides."""

import tomllib

import pytest

from pipelines.normalize import normalize_item
from vinews_scraper.extraction import extract_article
from vinews_scraper.registry import RegistryError, default_registry, load_registry, parse_registry

HAU_GIANG = {"haugiang", "vithuy", "chauthanh", "chauthanha", "phunghiep", "longmy", "thixalongmy",
             "ngabay", "vithanh"}


def test_the_nine_hau_giang_portals_are_registered_with_known_families():
    registry = default_registry()
    assert set(registry.sites) == HAU_GIANG
    for site in registry.sites.values():
        assert site.family.name in registry.families
        assert all(registry.site_for_url(url) is site for url in site.listing_urls)
    assert registry.site_for_url("https://vithuy.haugiang.gov.vn/tin-tuc/a-1.html").key == "vithuy"
    assert registry.site_for_url("https://example.gov.vn/") is None


def test_a_portal_needs_only_a_name_and_start_urls(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text('[sites.anphu]\nname = "Xã An Phú"\n'
                    'listing_urls = ["https://anphu.angiang.gov.vn/tin-tuc"]\n', encoding="utf-8")
    site = load_registry(path).site("anphu")
    assert site.hosts == ("anphu.angiang.gov.vn",)
    assert site.family.name == "generic"
    assert site.profile is site.family


@pytest.mark.parametrize("document, message", [
    ('[sites.x]\nlisting_urls = ["https://x.gov.vn/"]\n', "lacks name"),
    ('[sites.x]\nname = "X"\nlisting_urls = ["https://x.gov.vn/"]\nfamily = "joomla9"\n', "unknown family"),
    ('[sites.x]\nname = "X"\nlisting_urls = ["https://x.gov.vn/"]\n[sites.x.overrides]\ntitel = "h1"\n',
     r"unknown setting\(s\) titel"),
    ('[sites.x]\nname = "X"\nlisting_urls = ["https://x.gov.vn/"]\n[sites.x.overrides]\narticle_link = "(("\n',
     "not a valid regular expression"),
])
def test_registry_mistakes_are_reported(document, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(tomllib.loads(document), default_registry().families)


def test_unreadable_registry_file_is_a_registry_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[sites.x\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_registry(bad)
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "missing.toml")


# A page whose headline, date, author and view count sit in unlabelled boxes the generic rules
# cannot tell from the rest: an odd template that needs per-site selectors.
ODD_PAGE = """<html><head><title>Cổng thông tin</title></head><body>
<div class="khung"><div class="o1">Hội thi tìm hiểu pháp luật năm 2024 thu hút 300 thí sinh</div>
<div class="o2"><span class="t">14/05/2024</span> <span class="v">2.315</span></div>
<div class="o3"><p>Sáng 13/5, Phòng Tư pháp huyện phối hợp với Huyện đoàn tổ chức Hội thi tìm hiểu
pháp luật năm 2024 với sự tham gia của 300 thí sinh đến từ các xã, thị trấn.</p>
<p>Hội thi nhằm nâng cao nhận thức pháp luật cho cán bộ, đoàn viên và nhân dân trên địa bàn.</p></div>
<div class="o4">Lê Minh Tâm</div></div></body></html>"""

OVERRIDES = """[sites.odd]
name = "Cổng lạ"
listing_urls = ["https://odd.gov.vn/tin"]
[sites.odd.overrides]
title = ".o1"
published = "xpath://span[@class='t']"
view_count = [".khong-co", ".v"]
author = "div.o4"
content = ".o3"
"""


def test_site_overrides_read_fields_the_generic_rules_cannot(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(OVERRIDES, encoding="utf-8")
    site = load_registry(path).site("odd")
    url = "https://odd.gov.vn/tin/hoi-thi-123.html"
    item = normalize_item(extract_article(ODD_PAGE.encode(), url, site=site))
    assert item["title"] == "Hội thi tìm hiểu pháp luật năm 2024 thu hút 300 thí sinh"
    assert (item["published"], item["published_raw"]) == ("2024-05-14", "14/05/2024")
    assert item["view_count"] == 2315
    assert item["author"] == "Lê Minh Tâm"
    assert item["body"].startswith("Sáng 13/5, Phòng Tư pháp") and item["body"].count("\n\n") == 1
    assert normalize_item(extract_article(ODD_PAGE.encode(), url))["view_count"] is None
