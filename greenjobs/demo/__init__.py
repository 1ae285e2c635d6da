"""Demo content for the site itself: the about pages (pages.toml). The Sites record is left alone."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage

from greenjobs.core import demo

CONTENT = "about pages"  # what has_content() looks for, as load_demo --if-empty names it


def has_content() -> bool:
    return FlatPage.objects.exists()


def load() -> str:
    """Create the about pages that are missing (by URL), on the current site; never touch one that exists."""
    pages = demo.read(__file__, "pages.toml")["pages"]
    created = 0
    for spec in pages:
        page, was_created = FlatPage.objects.get_or_create(
            url=spec["url"], defaults={"title": spec["title"], "content": spec["content"].strip()}
        )
        if was_created:
            page.sites.add(settings.SITE_ID)
            created += 1
    return f"{created} about pages created, {len(pages) - created} already there"
