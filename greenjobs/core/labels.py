"""Names and dates as pages show them, remembered per value and language (formatting costs more than a lookup)."""

import functools

from django.utils.formats import date_format
from django.utils.translation import get_language
from django_countries.fields import Country


@functools.lru_cache(maxsize=4096)
def _formatted(value, format_string: str, language: str | None) -> str:
    return date_format(value, format_string)


def formatted(value, format_string: str) -> str:
    """``date_format`` remembered per value and language (lists format the same days again and again)."""
    return _formatted(value, format_string, get_language())


@functools.lru_cache(maxsize=512)
def _country_name(code: str, language: str | None) -> str:
    return str(Country(code).name)


def country_name(code: str) -> str:
    """The country's name in the active language."""
    return _country_name(code, get_language())
