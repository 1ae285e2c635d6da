"""Marking text shown in English on a French or Spanish page (``greenjobs.core.translated``).

``{% english_lang event "title" %}`` writes `` lang="en"`` inside a tag when that field falls back to English;
``event|untranslated`` gives "all", "some" or "" for the notice (includes/english_only.html).
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from greenjobs.core import translated
from greenjobs.core.taxonomy import theme_label

register = template.Library()

ENGLISH = mark_safe(' lang="en"')


@register.simple_tag
def english_lang(obj, field: str) -> str:
    return ENGLISH if translated.in_english(obj, field) else ""


@register.filter
def untranslated(obj) -> str:
    return translated.untranslated(obj) if obj is not None else ""


@register.filter
def theme_name(name: str) -> str:
    """A theme's (English) name in the page's language (``greenjobs.core.taxonomy.theme_label``)."""
    return theme_label(str(name or ""))


@register.filter
def translation(obj, field: str) -> str:
    """``field``'s own text in the page's language when that is not English ("" otherwise or when empty):
    pages whose English text lives elsewhere (an about page's flatpage) show that one by default."""
    language = get_language() or settings.LANGUAGE_CODE
    if obj in (None, "") or language == settings.LANGUAGE_CODE:
        return ""
    return getattr(obj, f"{field}_{language}", "") or ""
