"""Demo content for the site itself: the about pages (pages.toml). The Sites record is left alone."""

from django.contrib.flatpages.models import FlatPage

from greenjobs.core import demo
from greenjobs.pages import about_page_save

CONTENT = "about pages"  # what has_content() looks for, as load_demo --if-empty names it


def has_content() -> bool:
    return FlatPage.objects.exists()


def load() -> str:
    """Create the about pages that are missing (by URL), on the current site; never touch one that exists."""
    pages = demo.read(__file__, "pages.toml")["pages"]
    other = {code: data.get("pages", {}) for code, data in demo.translations(__file__, "pages.toml").items()}
    created = 0
    for spec in pages:
        if FlatPage.objects.filter(url=spec["url"]).exists():
            continue
        about_page_save(
            page=FlatPage(url=spec["url"], title=spec["title"]),
            markdown=spec["markdown"].strip(),
            menu_title=spec.get("menu_title", ""),
            menu_order=spec.get("menu_order", 100),
            in_footer=spec.get("in_footer", False),
            translations={
                field: value.strip()
                for code, pages_in in other.items()
                for field, value in demo.translated_fields(pages_in.get(spec["url"], {}), code).items()
            },
        )
        created += 1
    return f"{created} about pages created, {len(pages) - created} already there"
