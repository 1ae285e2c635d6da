"""Content in the page's language, or in English: which translated fields of an item show the English text.

Apps register the fields they translate with django-modeltranslation (``<app>/translation.py``); a French
or Spanish value left empty shows the English one. Pages mark such text ``lang="en"`` and say so in a
notice (``greenjobs/templatetags/translated_tags.py``), so screen readers read it with English rules.
"""

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator


def translated_fields(model) -> tuple[str, ...]:
    """The fields of ``model`` that have a French and a Spanish version (none if it is not registered)."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def _text(value) -> str:
    return str(value or "").strip()


def in_english(obj, field: str, language: str | None = None) -> bool:
    """True when, on a page in ``language`` (by default the active one), ``field`` shows the English text:
    the page is not English, the field has no text in that language and has some in English."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return False
    return not _text(getattr(obj, f"{field}_{language}", "")) and bool(
        _text(getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", ""))
    )


def untranslated(obj, language: str | None = None) -> str:
    """ "all" when every written field of ``obj`` shows the English text, "some" when some do, "" otherwise."""
    written = [field for field in translated_fields(type(obj)) if _text(getattr(obj, f"{field}_en", ""))]
    missing = [field for field in written if in_english(obj, field, language)]
    if not missing:
        return ""
    return "all" if len(missing) == len(written) else "some"


def has_own_text(obj, language: str, field: str = "title") -> bool:
    """The item has its own text for ``field`` in ``language`` (a translated field's column, not its fallback)."""
    return bool(_text(getattr(obj, f"{field}_{language}", "")))


def in_page_language(field: str, language: str | None = None):
    """An expression for ``field`` in the page's language, or in English when that is empty: for raw reads
    (JSON rows, ``values()`` of a queryset with ``rewrite(False)``) that modeltranslation does not follow."""
    language = language or get_language() or settings.LANGUAGE_CODE
    english = F(f"{field}_{settings.LANGUAGE_CODE}")
    if language == settings.LANGUAGE_CODE:
        return english
    return Coalesce(NullIf(F(f"{field}_{language}"), Value("")), english)


def translation_fieldsets(model, fields: list[str] | None = None) -> list[tuple]:
    """Admin fieldsets "In French" and "In Spanish", folded, with each translated field of ``model`` (or
    ``fields``, in that order): the English fields stay where they are, under their own names."""
    names = {"fr": _("In French"), "es": _("In Spanish")}
    fields = fields or list(translated_fields(model))
    return [
        (
            names[code],
            {
                "fields": [f"{field}_{code}" for field in fields],
                "classes": ["collapse"],
                "description": _("Leave a field empty to show the English text (marked as English) on that page."),
            },
        )
        for code in ("fr", "es")
    ]
