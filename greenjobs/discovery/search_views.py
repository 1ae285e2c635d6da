"""/search/: the site search page (the index is ``greenjobs.core.searchindex``)."""

import re

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from greenjobs.core import searchindex
from greenjobs.core.labels import formatted
from greenjobs.core.registry import registry
from greenjobs.discovery.search import themes_with_counts

# More pages than any result list can have; a bigger (or junk) number is answered like a page past the end.
MAX_PAGE = 100_000
_NUMBER = re.compile(r"[0-9]{1,9}")


def _page(value: str | None) -> int:
    """The page asked for: junk is page 1; a number past MAX_PAGE is the last page (run_search clamps it)."""
    if value is None or not _NUMBER.fullmatch(value.strip()):
        return MAX_PAGE if value and value.strip().isdigit() else 1
    return min(max(int(value), 1), MAX_PAGE)


@require_safe
def search_page(request):
    """/search/?q=…&type=…&page=…: ranked results of every public page, with counts per type."""
    results = searchindex.run_search(
        request.GET.get("q"), kind=request.GET.get("type"), page=_page(request.GET.get("page"))
    )
    did_you_mean = searchindex.did_you_mean(results.query, results.all_count)
    suggestions = []
    if results.query and not results.all_count:
        suggestions = themes_with_counts(limit=8, used_only=True)
    if results.page_obj is not None:
        dated_kinds = registry.dated_kinds()
        for row in results.page_obj.object_list:
            dated = row["date"] is not None and row["kind"] in dated_kinds
            moment = timezone.localtime(row["date"]) if dated else None
            row["date_iso"] = moment.isoformat() if moment else ""
            row["date_label"] = formatted(moment.date(), "DATE_FORMAT") if moment else ""
    context = {
        "results": results,
        "page_obj": results.page_obj,
        "suggestions": suggestions,
        "did_you_mean": did_you_mean,
    }
    return render(request, "search/search.html", context)
