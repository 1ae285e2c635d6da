"""The hand-written CSS stays small: under 20 KB uncompressed in all, in one stylesheet plus print."""

from pathlib import Path

from django.conf import settings

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_all_css_weighs_under_20_kb():
    sizes = {path.name: path.stat().st_size for path in CSS_DIR.glob("*.css")}
    assert sum(sizes.values()) < 20 * 1024, sizes


def test_pages_link_one_stylesheet_and_the_print_one():
    assert sorted(path.name for path in CSS_DIR.glob("*.css")) == ["print.css", "site.css"]
    base = (TEMPLATES / "base.html").read_text()
    assert base.count('rel="stylesheet"') == 2
    assert "css/site.css" in base and 'css/print.css\' %}" media="print"' in base
