"""The home page: the introduction, then the block each app registered (``Publication.home``), in order."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from greenjobs.core.registry import registry


def _blocks(request) -> list[str]:
    rendered = []
    for publication in registry.with_("home"):
        for block in publication.home:
            context = block.context(request) if block.context else {}
            if context is not None:
                rendered.append(mark_safe(render_to_string(block.template, context, request).strip()))
    return rendered


@require_safe
def home(request):
    return render(request, "home.html", {"blocks": _blocks(request)})
