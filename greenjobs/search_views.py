from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import search


@require_safe
def search_page(request):
    """/search/?q=…&type=…&page=…: ranked results of every public page, with counts per type."""
    results = search.run_search(request.GET.get("q"), kind=request.GET.get("type"), page=request.GET.get("page"))
    suggestions = []
    if results.query and not results.all_count:
        suggestions = search.themes_with_counts(limit=8, used_only=True)
    context = {"results": results, "page_obj": results.page_obj, "suggestions": suggestions}
    return render(request, "search/search.html", context)
