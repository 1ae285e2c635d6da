"""The upcoming list's filters: counts under the other chosen filters, and option links (events.listing)."""

import itertools

import pytest
from django.utils.http import urlencode

from events import listing
from events.listing import Listed, Upcoming


def _found() -> Upcoming:
    items = [
        Listed(1, 10, "webinar", "TH", ("policy", "skills")),
        Listed(2, 10, "webinar", "KE", ("policy",)),
        Listed(3, 10, "workshop", "TH", ("skills",)),
        Listed(4, 10, "workshop", "", ()),
        Listed(5, 10, "meeting", "TH", ("policy",)),
    ]
    names = {"policy": "Policy", "skills": "Skills & training"}
    kinds = {"webinar": "Webinar", "workshop": "Workshop", "meeting": "Meeting"}
    return Upcoming(items, names, kinds, has_past=False)


def _counts(options: dict) -> dict:
    return {name: {option["value"]: option["count"] for option in options[name]} for name in options}


def test_without_filters_every_item_is_listed_and_counted():
    items, options = listing.filtered(_found(), {})
    assert [listed.item for listed in items] == [1, 2, 3, 4, 5]
    assert _counts(options) == {
        "theme": {"policy": 3, "skills": 2},
        "kind": {"meeting": 1, "webinar": 2, "workshop": 2},
        "country": {"KE": 1, "TH": 3},  # an item without a country is not counted under one
    }
    assert [option["label"] for option in options["theme"]] == ["Policy", "Skills & training"]


def test_each_filter_is_counted_under_the_other_chosen_ones():
    items, options = listing.filtered(_found(), {"theme": "policy", "country": "TH"})
    assert [listed.item for listed in items] == [1, 5]
    counts = _counts(options)
    assert counts["theme"] == {"policy": 2, "skills": 2}  # items in TH, whatever their theme
    assert counts["country"] == {"KE": 1, "TH": 2}  # items on policy, wherever they are
    assert counts["kind"] == {"meeting": 1, "webinar": 1}  # items matching both
    assert [option["selected"] for option in options["theme"]] == [True, False]


CHOICES = [{}, {"theme": "policy"}, {"kind": "webinar"}, {"theme": "skills", "country": "TH"}]
CHOICES += [{"theme": "policy", "kind": "workshop", "country": "KE"}, {"kind": "meeting", "country": "TH"}]


@pytest.mark.parametrize("chosen", CHOICES)
def test_option_links_are_the_query_with_that_option_chosen_or_left(chosen):
    _items, options = listing.filtered(_found(), chosen)
    options["theme"].append({"value": "a b&c/é", "label": "Odd", "count": 1, "selected": False})
    anys = listing.with_links(options, chosen)
    for name, option in itertools.chain.from_iterable(((n, o) for o in options[n]) for n in options):
        query = {**chosen, name: option["value"]}
        if option["selected"]:
            del query[name]
        assert option["href"] == ("?" + urlencode(query) if query else "?"), (name, option)
    for name in listing.FILTERS:
        rest = {key: value for key, value in chosen.items() if key != name}
        assert anys[name] == ("?" + urlencode(rest) if name in chosen else "")
