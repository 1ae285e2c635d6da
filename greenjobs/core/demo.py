"""What every app's demo content needs: its data files, the one theme list, dates relative to today, its media.

An app's demo is a package (``<app>/demo/``) holding TOML files with named keys and a ``media/``
folder of committed images and documents; its ``__init__.py`` reads them with ``read(__file__, ...)``
and creates what is missing. The theme names are written once, in ``themes.toml`` beside this module.
French and Spanish versions sit beside each file (``courses.fr.toml``, ``themes.es.toml``), keyed by the
same natural keys (``translations``); they fill the French and Spanish fields of what a load creates.
"""

import datetime as dt
import tomllib
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.core.files import File

THEMES_FILE = Path(__file__).with_name("themes.toml")
MEDIA_DIR = "media"


@cache
def _themes() -> dict[str, str]:
    with THEMES_FILE.open("rb") as file:
        return tomllib.load(file)["themes"]


def theme_names() -> list[str]:
    """The demo theme names, in order."""
    return list(_themes().values())


def themes(keys: list[str]) -> list[str]:
    """Theme names for the keys a data file gives (``"energy"`` -> ``"Renewable energy"``)."""
    known = _themes()
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise KeyError(f"Unknown theme keys {unknown}: see {THEMES_FILE}")
    return [known[key] for key in keys]


def theme_tags_ensure() -> list[str]:
    """Create the theme tags that are missing, in list order (tag ids order theme names on pages), each with
    its French and Spanish names; the names."""
    from taggit.models import Tag

    from greenjobs.models import ThemeTranslation

    names = theme_names()
    other = {code: values.get("themes", {}) for code, values in translations(__file__, THEMES_FILE.name).items()}
    for key, name in _themes().items():
        tag, created = Tag.objects.get_or_create(name__iexact=name, defaults={"name": name})
        if created:
            ThemeTranslation.objects.get_or_create(
                theme=tag, defaults={f"name_{code}": values.get(key, "") for code, values in other.items()}
            )
    return names


def read(module_file: str, name: str) -> dict:
    """The TOML file ``name`` in the folder of ``module_file`` (a demo package's ``__file__``)."""
    with Path(module_file).with_name(name).open("rb") as file:
        return tomllib.load(file)


LANGUAGES = ("fr", "es")


def translations(module_file: str, name: str) -> dict[str, dict]:
    """The French and Spanish versions of the TOML file ``name`` ("courses.toml" -> "courses.fr.toml"), by
    language code; a language without a file is left out."""
    stem = Path(name).stem
    found = {}
    for code in LANGUAGES:
        path = Path(module_file).with_name(f"{stem}.{code}.toml")
        if path.exists():
            with path.open("rb") as file:
                found[code] = tomllib.load(file)
    return found


def translated_fields(values: dict, code: str, names: dict[str, str] | None = None) -> dict[str, str]:
    """``{"title": "Titre"}`` as the model fields of language ``code``: ``{"title_fr": "Titre"}``. ``names`` maps a
    data file's key to the field when they differ ("objectives" -> "learning_objectives")."""
    names = names or {}
    return {f"{names.get(key, key)}_{code}": value for key, value in values.items() if isinstance(value, str)}


def media_path(module_file: str, name: str) -> Path:
    """A committed media file of the demo package of ``module_file``: ``<package>/media/<name>``."""
    return Path(module_file).parent / MEDIA_DIR / name


@contextmanager
def media_file(module_file: str, name: str):
    """The committed media file ``name``, open as a Django ``File`` named by its last part."""
    path = media_path(module_file, name)
    with path.open("rb") as handle:
        yield File(handle, name=path.name)


def media_copy(field_file, module_file: str, name: str) -> None:
    """Copy a committed media file into the storage of ``field_file`` (the field's ``upload_to``, its own name).

    The model is not saved: the caller saves it, with the rest of its fields.
    """
    with media_file(module_file, name) as file:
        field_file.save(file.name, file, save=False)


def _month_after_next(today: dt.date) -> dt.date:
    first_of_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return (first_of_next + dt.timedelta(days=32)).replace(day=1)


COUNTED_FROM = {
    "today": lambda today: today,
    "month_after_next": _month_after_next,  # the first day of the month after next
}


def day(today: dt.date, days: int, counted_from: str = "today") -> dt.date:
    """The date ``days`` away from today, or from another day a data file names (``COUNTED_FROM``)."""
    return COUNTED_FROM[counted_from](today) + dt.timedelta(days=days)


def days_ago(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)
