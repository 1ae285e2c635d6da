import logging
import math
from datetime import timedelta
from urllib.parse import quote_plus, urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.template.context import make_context
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django_countries import countries

from greenjobs.core.related import related

from .forms import CaseSubmitForm, submission_key
from .limits import story_post_wait
from .models import CaseStory, OrganisationType
from .photos import PhotoStorageError
from .search import KIND
from .selectors import STORY_FIELDS, story_list, story_themes
from .services import case_submit
from .structured import story_json_ld

log = logging.getLogger(__name__)

FILTERS = ("theme", "country", "type", "q")


def _filters(request) -> dict[str, str]:
    values = {name: " ".join(request.GET.get(name, "").replace("\x00", "").split())[:200] for name in FILTERS}
    values["country"] = values["country"].upper()
    return values


def _linker(query, name: str):
    """``{% querystring name=value page=None %}`` for many values: the other parameters are encoded once."""
    before, after, seen = [], [], False
    for key, values in query.lists():
        if key == name:
            seen = True
        elif key != "page":
            (after if seen else before).extend(urlencode({key: value}) for value in values)
    head = "?" + "".join(f"{part}&" for part in before) + quote_plus(name) + "="
    tail = "".join(f"&{part}" for part in after)

    def link(value: str) -> str:
        return head + quote_plus(value) + tail

    return link


def _options(filters: dict[str, str], listing, query) -> dict[str, list[dict]]:
    """Every option that has stories with the *other* filters applied, with its count and link."""
    counts = listing.counts
    link = {name: _linker(query, name) for name in ("theme", "country", "type")}
    return {
        "theme": [
            {
                "value": theme.slug,
                "label": theme.name,
                "label_html": theme.name_html,
                "count": counts["theme"][theme.id],
                "selected": theme.slug == filters["theme"],
                "href": link["theme"](theme.slug),
            }
            for theme in listing.themes
            if theme.id in counts["theme"]
        ],
        "country": sorted(
            (
                {
                    "value": code,
                    "label": countries.name(code),
                    "count": n,
                    "selected": code == filters["country"],
                    "href": link["country"](code),
                }
                for code, n in counts["country"].items()
            ),
            key=lambda o: o["label"],
        ),
        "type": [
            {
                "value": value,
                "label": label,
                "count": counts["type"][value],
                "selected": value == filters["type"],
                "href": link["type"](value),
            }
            for value, label in OrganisationType.choices
            if value in counts["type"]
        ],
    }


@require_safe
def case_list(request):
    filters = _filters(request)
    listing = story_list(filters, request.GET.get("page"))
    options = _options(filters, listing, request.GET)
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
            "page_obj": listing.page_obj,
            "stories": listing.page_obj.object_list,
            "filters": filters,
            "active": active,
            "labels": labels,
            "options": options,
            "cache_key": listing.key,
        },
    )


@require_safe
def case_detail(request, slug):
    """A story page; those who may preview see a story not yet published, marked as a preview."""
    story = get_object_or_404(CaseStory.objects.visible_to(request.user).only(*STORY_FIELDS), slug=slug)
    themes = story_themes(story)
    return render(
        request,
        "cases/case_detail.html",
        {
            "story": story,
            "themes": themes,
            "related": related(KIND, [theme.id for theme in themes], exclude=story.pk),
            "is_preview": not story.is_public,
            "json_ld": story_json_ld(story),
        },
    )


# A 10 MB photo plus the longest texts fits well within this. (The CSRF check has read the body
# by now; capping upload size for the whole site is the reverse proxy's job.)
MAX_SUBMISSION_BYTES = 12 * 1024 * 1024


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_SUBMISSION_BYTES
    except ValueError:
        return False


def _already_sent(request) -> bool:
    """A second POST of the same rendered form (a double click, a reload): its story exists."""
    key = submission_key(request.POST.get("submission_key"))
    return key is not None and CaseStory.objects.filter(submission_key=key).exists()


def _form_page(request, form, *, status: int = 200, template: str = "cases/case_form.html", **context):
    """render(), then break the template context's own reference cycle.

    Each of the context's dicts points back at it; cleared, the form, its uploads and any photo
    are freed with the response, not at the garbage collector's next full pass.
    """
    page = loader.get_template(template)
    bound = make_context({"form": form, **context}, request, autoescape=page.backend.engine.autoescape)
    try:
        return HttpResponse(page.template.render(bound), status=status)
    finally:
        bound.dicts.clear()


def _rate_limited(request, wait: int):
    """429 with the form as it was typed, and when to try again."""
    retry_at = timezone.now() + timedelta(seconds=wait)
    response = _form_page(
        request,
        CaseSubmitForm.retyped(request.POST),
        status=429,
        template="cases/rate_limited.html",
        retry_at=retry_at,
        retry_minutes=max(1, math.ceil(wait / 60)),
        photo_again=True,
    )
    response["Retry-After"] = str(wait)
    return response


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        photo = any(e.code == "invalid_photo" for e in error.error_list)
        form.add_error("photo" if photo else None, error)


def _refused(request):
    """The answer to a POST that is not judged at all: a replay, over the limit, or too large."""
    if _already_sent(request):
        return redirect("cases:thanks")
    if wait := story_post_wait(request):
        return _rate_limited(request, wait)
    if _too_large(request):
        return render(request, "cases/too_large.html", status=413)
    return None


def _submit(request, form):
    if form.is_spam:
        return redirect("cases:thanks")
    if form.is_valid():
        try:
            case_submit(**form.story())
        except ValidationError as error:
            _add_service_errors(form, error)
        except PhotoStorageError:
            log.exception("The story form could not store a photo")
            return _form_page(request, form, status=503, storage_failed=True, photo_again=True)
        else:
            return redirect("cases:thanks")
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
def case_submit_view(request):
    if request.method != "POST":
        return _form_page(request, CaseSubmitForm())
    if refused := _refused(request):
        return refused
    form = CaseSubmitForm(request.POST, request.FILES)
    try:
        return _submit(request, form)
    finally:
        form.release()


@require_safe
def case_thanks(request):
    return render(request, "cases/thanks.html")


@require_safe
def case_status(request, token):
    story = get_object_or_404(CaseStory, status_token=token)
    return render(request, "cases/status.html", {"story": story})
