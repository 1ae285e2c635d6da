"""The upcoming list: events and course sessions not ended yet, filtered by theme, kind and country, with counts.

What the list filters by is kept per content version and five-minute slot (two queries to build: the
events, the other calendar entries); a request drops what ended since the slot began and counts in Python,
so a filtered page costs no more queries than the plain one.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from urllib.parse import quote_plus

from django.db.models import Subquery
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

from greenjobs.core.calendar import CalendarEntry
from greenjobs.core.derived import derived, slot_start
from greenjobs.core.labels import country_name
from greenjobs.core.taxonomy import themes_of

from .entries import upcoming_entries
from .models import Event
from .querysets import EPOCH, UPCOMING_SLOT_MINUTES

FILTERS = ("theme", "kind", "country")


@dataclass(frozen=True)
class Listed:
    item: int | CalendarEntry  # an event's pk, or the entry itself
    ends: int  # microseconds since the epoch
    kind: str
    country: str
    themes: tuple[str, ...]  # slugs


@dataclass(frozen=True)
class Upcoming:
    items: list[Listed]  # soonest first
    theme_names: dict[str, str]  # slug -> name
    kind_names: dict[str, str]
    has_past: bool


def _micros(moment: dt.datetime) -> int:
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


def upcoming(now: dt.datetime | None = None) -> Upcoming:
    """What the list shows at ``now``: kept per content version and slot, exact to the microsecond."""
    now = now or timezone.now()
    start = slot_start(now, UPCOMING_SLOT_MINUTES)

    def build() -> Upcoming:
        published = Event.objects.published()
        last_past = published.filter(ends_at__lt=start).order_by("-ends_at").values("pk")[:1]
        rows = list(
            published.upcoming(start)
            .annotate(
                last_past=Subquery(last_past), slugs=themes_of(Event, "tag__slug"), names=themes_of(Event, "tag__name")
            )
            .values_list("pk", "starts_at", "ends_at", "kind", "country", "slugs", "names", "last_past")
        )
        has_past = rows[0][7] is not None if rows else last_past.exists()
        theme_names = {}
        kind_names = {str(value): str(label) for value, label in Event.Kind.choices}
        dated = []
        for pk, starts, ends, kind, country, slugs, names, _past in rows:
            theme_names.update(zip(slugs or (), names or (), strict=True))
            dated.append((starts, Listed(pk, _micros(ends), kind, country or "", tuple(slugs or ()))))
        for entry in upcoming_entries(start):
            theme_names.update(zip(entry.theme_slugs, entry.themes, strict=True))
            kind_names[entry.kind] = str(entry.kind_label)
            dated.append((entry.start, Listed(entry, _micros(entry.end), entry.kind, entry.country, entry.theme_slugs)))
        dated.sort(key=lambda pair: pair[0])
        return Upcoming([listed for _, listed in dated], theme_names, kind_names, has_past)

    kept = derived(f"events:upcoming-list:{get_language()}:{start.isoformat()}", build, in_process=True)
    cutoff = _micros(now)
    items = [listed for listed in kept.items if listed.ends >= cutoff]
    return Upcoming(items, kept.theme_names, kept.kind_names, kept.has_past or len(items) < len(kept.items))


def _failing(listed: Listed, chosen: dict[str, str]) -> list[str]:
    """The chosen filters that ``listed`` does not match."""
    return [
        name
        for name, value in chosen.items()
        if not (
            (name == "theme" and value in listed.themes)
            or (name == "kind" and value == listed.kind)
            or (name == "country" and value == listed.country)
        )
    ]


def _count(counts: dict[str, Counter], name: str, matching: list[Listed]) -> None:
    """Add the values of filter ``name`` of ``matching`` to its counts (Counter counts in C)."""
    if name == "theme":
        counts[name].update(chain.from_iterable(listed.themes for listed in matching))
    else:
        counts[name].update(getattr(listed, name) for listed in matching)


def filtered(found: Upcoming, chosen: dict[str, str]) -> tuple[list[Listed], dict[str, list[dict]]]:
    """The items matching every chosen filter, and for each filter its options with counts (each counted
    under the other chosen filters, as the story list does): one pass over the items."""
    counts: dict[str, Counter] = {name: Counter() for name in FILTERS}
    if chosen:
        items = []
        failing_one: dict[str, list[Listed]] = {name: [] for name in FILTERS}
        for listed in found.items:
            failing = _failing(listed, chosen)
            if not failing:
                items.append(listed)
            elif len(failing) == 1:  # counted only under the filter it fails
                failing_one[failing[0]].append(listed)
        for name in FILTERS:
            _count(counts, name, items)
            _count(counts, name, failing_one[name])
    else:
        items = list(found.items)
        for name in FILTERS:
            _count(counts, name, items)
    for name_counts in counts.values():
        name_counts.pop("", None)
    labels = {
        "theme": found.theme_names,
        "kind": found.kind_names,
        "country": {code: country_name(code) for code in counts["country"]},
    }
    options = {
        name: sorted(
            (
                {
                    "value": value,
                    "label": labels[name].get(value, value),
                    "count": count,
                    "selected": chosen.get(name) == value,
                }
                for value, count in counts[name].items()
            ),
            key=lambda option: str(option["label"]).lower(),
        )
        for name in FILTERS
    }
    return items, options


def with_links(options: dict[str, list[dict]], chosen: dict[str, str]) -> dict[str, str]:
    """Each option's href (choosing it, or leaving it when chosen); returns each chosen filter's "any" link.

    The same as ``"?" + urlencode({**chosen, name: value})`` (without ``name`` when chosen), the other
    filters encoded once per filter rather than once per option (a list offers hundreds)."""
    for name, items in options.items():
        before = [f"{quote_plus(key)}={quote_plus(value)}" for key, value in chosen.items() if key != name]
        after = []
        if name in chosen:  # its place among the chosen filters
            keys = list(chosen)
            place = keys.index(name)
            before, after = before[:place], before[place:]
        without = "?" + "&".join(before + after)
        for option in items:
            if option["selected"]:
                option["href"] = without
            else:
                own = f"{quote_plus(name)}={quote_plus(option['value'])}"
                option["href"] = "?" + "&".join([*before, own, *after])
    return {
        name: ("?" + urlencode({k: v for k, v in chosen.items() if k != name})) if name in chosen else ""
        for name in FILTERS
    }


def chosen_filters(query, found: Upcoming) -> tuple[dict[str, str], list[str]]:
    """The filters asked for that exist, and a message for each that does not (shown, never a 500)."""
    chosen, unknown = {}, []
    known = {
        "theme": found.theme_names,
        "kind": found.kind_names,
        "country": {listed.country for listed in found.items if listed.country},
    }
    for name in FILTERS:
        value = query.get(name, "").strip()
        if not value:
            continue
        if name == "country":
            value = value.upper()
        if value in known[name] or (name == "country" and len(value) == 2 and value.isalpha()):
            chosen[name] = value
        else:
            unknown.append(name)
    return chosen, unknown
