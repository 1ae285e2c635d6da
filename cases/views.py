from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django_countries import countries
from taggit.models import TaggedItem

from greenjobs.structured import json_ld

from .forms import CaseSubmitForm
from .models import CaseStory, OrganisationType
from .services import case_submit

PAGE_SIZE = 12
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60
FILTERS = ("theme", "country", "type", "q")


def _filters(request) -> dict[str, str]:
    values = {name: " ".join(request.GET.get(name, "").replace("\x00", "").split())[:200] for name in FILTERS}
    values["country"] = values["country"].upper()
    return values


def _tagged_items():
    """Tagged case stories, joined by content type names so no ContentType lookup query is needed."""
    return TaggedItem.objects.filter(content_type__app_label="cases", content_type__model="casestory")


def _apply(stories, filters: dict[str, str], *, skip: str = ""):
    if filters["theme"] and skip != "theme":
        stories = stories.filter(pk__in=_tagged_items().filter(tag__slug=filters["theme"]).values("object_id"))
    if filters["country"] and skip != "country":
        stories = stories.filter(country=filters["country"])
    if filters["type"] and skip != "type":
        stories = stories.filter(organisation_type=filters["type"])
    if filters["q"]:
        stories = stories.search(filters["q"])
    return stories


def _options(filters: dict[str, str]) -> dict[str, list[dict]]:
    """Per-option counts, each with the *other* filters applied: three grouped queries."""
    published = CaseStory.objects.published()
    theme_ids = _apply(published, filters, skip="theme").order_by().values("pk")
    theme_rows = (
        _tagged_items()
        .filter(object_id__in=theme_ids)
        .values("tag__slug", "tag__name")
        .annotate(n=Count("object_id", distinct=True))
        .order_by("tag__name")
    )
    country_rows = (
        _apply(published, filters, skip="country").order_by().values("country").annotate(n=Count("pk", distinct=True))
    )
    type_rows = (
        _apply(published, filters, skip="type")
        .order_by()
        .values("organisation_type")
        .annotate(n=Count("pk", distinct=True))
    )
    type_counts = {row["organisation_type"]: row["n"] for row in type_rows}
    return {
        "theme": [
            {
                "value": r["tag__slug"],
                "label": r["tag__name"],
                "count": r["n"],
                "selected": r["tag__slug"] == filters["theme"],
            }
            for r in theme_rows
        ],
        "country": sorted(
            (
                {
                    "value": r["country"],
                    "label": countries.name(r["country"]),
                    "count": r["n"],
                    "selected": r["country"] == filters["country"],
                }
                for r in country_rows
            ),
            key=lambda o: o["label"],
        ),
        "type": [
            {"value": value, "label": label, "count": type_counts[value], "selected": value == filters["type"]}
            for value, label in OrganisationType.choices
            if value in type_counts
        ],
    }


@require_safe
def case_list(request):
    filters = _filters(request)
    stories = _apply(CaseStory.objects.published(), filters).prefetch_related("themes")
    page_obj = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    options = _options(filters)
    active = {name: value for name, value in filters.items() if value}
    labels = {}
    for name in ("theme", "country", "type"):
        chosen = next((o for o in options[name] if o["selected"]), None)
        if name in active:
            labels[name] = chosen["label"] if chosen else active[name]
    return render(
        request,
        "cases/case_list.html",
        {
            "page_obj": page_obj,
            "stories": page_obj.object_list,
            "filters": filters,
            "active": active,
            "labels": labels,
            "options": options,
        },
    )


def _json_ld(request, story) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title,
        "description": story.summary,
        "url": request.build_absolute_uri(story.get_absolute_url()),
    }
    if story.published_at:
        data["datePublished"] = story.published_at.isoformat()
    if story.photo:
        data["image"] = request.build_absolute_uri(story.rendition_url(1200))
    return json_ld(data)


@require_safe
def case_detail(request, slug):
    stories = CaseStory.objects.prefetch_related("themes")
    story = stories.published().filter(slug=slug).first()
    preview = False
    if story is None:
        if not request.user.is_staff:
            raise Http404
        story = get_object_or_404(stories, slug=slug)
        preview = True
    themes = list(story.themes.all())
    related = []
    if themes:
        related = list(
            CaseStory.objects.published()
            .filter(themes__in=[theme.pk for theme in themes])
            .exclude(pk=story.pk)
            .annotate(shared=Count("pk"))
            .order_by("-shared", "-published_at", "-pk")[:3]
        )
    return render(
        request,
        "cases/case_detail.html",
        {
            "story": story,
            "themes": themes,
            "related": related,
            "preview": preview,
            "json_ld": _json_ld(request, story),
        },
    )


def _rate_key(request) -> str:
    return f"cases:submit:{request.META.get('REMOTE_ADDR', 'unknown')}"


def _rate_limited(request) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= RATE_LIMIT


def _rate_count(request) -> None:
    key = _rate_key(request)
    if cache.add(key, 1, RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 1, RATE_WINDOW)


# A 10 MB photo plus the longest texts fits well within this. (The CSRF check has read the body
# by now; capping upload size for the whole site is the reverse proxy's job.)
MAX_SUBMISSION_BYTES = 12 * 1024 * 1024


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_SUBMISSION_BYTES
    except ValueError:
        return False


@require_http_methods(["GET", "POST"])
def case_submit_view(request):
    if request.method == "POST":
        if _too_large(request):
            return render(request, "cases/too_large.html", status=413)
        if _rate_limited(request):
            response = render(request, "cases/rate_limited.html", status=429)
            response["Retry-After"] = str(RATE_WINDOW)
            return response
        form = CaseSubmitForm(request.POST, request.FILES)
        if form.is_spam:
            _rate_count(request)
            return redirect("cases:thanks")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("website", None)
            case_submit(**data)
            _rate_count(request)
            return redirect("cases:thanks")
    else:
        form = CaseSubmitForm()
    return render(request, "cases/case_form.html", {"form": form})


@require_safe
def case_thanks(request):
    return render(request, "cases/thanks.html")


@require_safe
def case_status(request, token):
    story = get_object_or_404(CaseStory, status_token=token)
    return render(request, "cases/status.html", {"story": story})
