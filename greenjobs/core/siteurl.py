"""The site's one canonical address: every absolute link (emails, feeds, sitemap, calendars, metadata)."""

from urllib.parse import urljoin, urlsplit

from django.conf import settings


def site_url() -> str:
    """``SITE_URL`` without a trailing slash, e.g. ``https://greenjobs.example``."""
    return settings.SITE_URL.rstrip("/")


def site_domain() -> str:
    return urlsplit(site_url()).netloc


def site_scheme() -> str:
    return urlsplit(site_url()).scheme


def absolute(path: str) -> str:
    """An absolute URL on the canonical address for a path (``/cases/x/``); full URLs pass through."""
    if not path:
        return site_url() + "/"
    path = str(path)
    if path.startswith("/") and not path.startswith("//") and "/." not in path:
        return site_url() + path  # what urljoin gives, without its parsing (pages make several a view)
    return urljoin(site_url() + "/", path)


def view_on_site(model_admin, obj) -> str:
    """``ModelAdmin.view_on_site``: the public page on SITE_URL (Django's own goes through the Sites record)."""
    return absolute(obj.get_absolute_url())
