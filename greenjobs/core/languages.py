"""The site's three languages in addresses: English without a prefix, French under /fr/, Spanish under /es/.

``i18n_patterns(prefix_default_language=False)`` in greenjobs/urls.py makes the addresses; these helpers
read and write them where a path is handled as text (the page cache, the menus, the language switch,
``hreflang`` alternates).
"""

import functools
import re

from django.conf import settings
from django.utils.translation import get_language

# og:locale wants a territory: the one each language's readers are taught in at the ILO.
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}


@functools.cache
def _prefix() -> re.Pattern:
    codes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    return re.compile(rf"^/({codes})(?=/|$)")


def language_of(path: str) -> str:
    """The language a path names: its prefix, or the default language."""
    found = _prefix().match(path)
    return found[1] if found else settings.LANGUAGE_CODE


def unprefixed(path: str) -> str:
    """The path without its language prefix: "/fr/cases/" -> "/cases/", "/fr" -> "/"."""
    return _prefix().sub("", path, count=1) or "/"


def localized(path: str, language: str | None = None) -> str:
    """The same page in ``language`` (by default the active one): "/cases/" -> "/fr/cases/" in French."""
    language = language or get_language() or settings.LANGUAGE_CODE
    bare = unprefixed(path)
    return bare if language == settings.LANGUAGE_CODE else f"/{language}{bare}"


def og_locale(language: str | None = None) -> str:
    return OG_LOCALES.get(language or get_language() or settings.LANGUAGE_CODE, "en_GB")
