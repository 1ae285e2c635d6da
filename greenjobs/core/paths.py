"""Paths of detail pages by slug, without a full ``reverse()`` per link (lists render hundreds).

The URLconf is reversed once per view name with a marker slug; the slug is then put in its place.
"""

import functools
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_MARKER = "slug-marker-0"


@functools.lru_cache(maxsize=64)
def _around(viewname: str, script_prefix: str, urlconf, language: str | None) -> tuple[str, str]:
    """The path before and after the slug (``language``: the active one, whose prefix reverse() adds)."""
    head, _, tail = reverse(viewname, kwargs={"slug": _MARKER}).partition(_MARKER)
    return head, tail


def slug_path(viewname: str, slug: str) -> str:
    """Same as ``reverse(viewname, kwargs={"slug": slug})`` for a route taking only a slug."""
    head, tail = _around(viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, get_language())
    return head + quote(slug, safe="-_.~") + tail
