import logging
import math
from datetime import timedelta
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.template.context import make_context
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language, get_language_info
from django.views.decorators.http import require_http_methods, require_safe

from greenjobs.core.derived import derived
from greenjobs.core.labels import country_name
from greenjobs.core.languages import localized
from greenjobs.core.prepared import Prepared
from greenjobs.core.publishing import may_preview
from greenjobs.core.related import related
from greenjobs.core.searchindex import did_you_mean
from greenjobs.core.siteurl import absolute
from greenjobs.core.taxonomy import moved_theme_redirect, theme_label

from .forms import CaseResendForm, CaseSubmitForm, submission_key
from .limits import story_post_wait
from .models import CaseStory, CaseStoryTranslation, ModerationDecision, OrganisationType, Status
from .photos import PhotoStorageError
from .revisions import edits_since_sent, latest_sent, sent_rows, story_fields
from .search import KIND
from .selectors import STORY_FIELDS, story_list, story_themes
from .services import case_resend, case_submit
from .structured import story_json_ld

log = logging.getLogger(__name__)

FILTERS = ("theme", "country", "type", "language", "q")
FILTERS_TEMPLATE = "cases/_filters.html"


def _filters(request) -> dict[str, str]:
    values = {name: " ".join(request.GET.get(name, "").replace("\x00", "").split())[:200] for name in FILTERS}
    values["country"] = values["country"].upper()
    return values


def _link_parts(query, name: str) -> tuple[str, str]:
    """What comes before and after ``name``'s value in ``{% querystring name=value page=None %}``: the other
    parameters, in their order, encoded once for the many values a filter list links to."""
    before, after, seen = [], [], False
    for key, values in query.lists():
        if key == name:
            seen = True
        elif key != "page":
            (after if seen else before).extend(urlencode({key: value}) for value in values)
    head = "?" + "".join(f"{part}&" for part in before) + quote_plus(name) + "="
    return head, "".join(f"&{part}" for part in after)


def _linker(query, name: str):
    head, tail = _link_parts(query, name)

    def link(value: str) -> str:
        return head + quote_plus(value) + tail

    return link


def _options(filters: dict[str, str], listing, query) -> dict[str, list[dict]]:
    """Every option that has stories with the *other* filters applied, with its count and link."""
    counts = listing.counts
    link = {name: _linker(query, name) for name in ("country", "type", "language")}
    theme_counts, (theme_head, theme_tail), language = counts["theme"], _link_parts(query, "theme"), get_language()
    return {
        "theme": [
            {
                "value": theme.slug,
                "label": (label := theme_label(theme.name, language)),
                "label_html": theme.name_html if label == theme.name else escape(label),
                "count": theme_counts[theme.id],
                "selected": theme.slug == filters["theme"],
                "href": theme_head + theme.quoted + theme_tail,
            }
            for theme in listing.themes
            if theme.id in theme_counts
        ],
        "country": sorted(
            (
                {
                    "value": code,
                    "label": country_name(code),
                    "count": n,
                    "selected": code == filters["country"],
                    "href": link["country"](code),
                }
                for code, n in counts["country"].items()
            ),
            key=lambda o: o["label"],
        ),
        "type": _choice_options(OrganisationType.choices, counts["type"], filters["type"], link["type"]),
        "language": _choice_options(settings.LANGUAGES, counts["language"], filters["language"], link["language"]),
    }


def _choice_options(choices, counts: dict, selected: str, link) -> list[dict]:
    """The options of a filter over fixed choices, in their order: those with stories, with their count."""
    return [
        {
            "value": value,
            "label": str(label),  # translated once (a lazy label is translated again at each use)
            "count": counts[value],
            "selected": value == selected,
            "href": link(value),
        }
        for value, label in choices
        if value in counts
    ]


@require_safe
def case_list(request):
    filters = _filters(request)
    listing = story_list(filters, request.GET.get("page"))
    active = {name: value for name, value in filters.items() if value}

    def rendered(options) -> str:
        context = {"options": options, "active": active, "filters": filters}
        return loader.render_to_string(FILTERS_TEMPLATE, context, request)

    def unfiltered() -> tuple[dict, str]:
        options = _options(filters, listing, request.GET)
        return options, rendered(options)

    if active or set(request.GET) - {"page"}:
        options, filters_html = _options(filters, listing, request.GET), None
    else:  # every unfiltered page has the same filters (300 themes' links): built and rendered once per version
        options, filters_html = derived(f"cases:unfiltered-filters:{get_language()}", unfiltered, in_process=True)
    labels = {}
    for name in ("theme", "country", "type", "language"):
        chosen = next((o for o in options[name] if o["selected"]), None)
        if name in active:
            labels[name] = chosen["label"] if chosen else active[name]
    moved = moved_theme_redirect(request, known=any(option["selected"] for option in options["theme"]))
    if moved:
        return moved
    if filters_html is None:
        filters_html = rendered(options)
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
            "filters_html": filters_html,
            "cache_key": listing.key,
            "did_you_mean": did_you_mean(filters["q"], listing.page_obj.paginator.count),
        },
    )


def translation_of(language: str) -> Subquery:
    """The story's translation into ``language`` as a JSON object of its text fields, or None (read with it)."""
    rows = CaseStoryTranslation.objects.filter(story=OuterRef("pk"), language=language).values(
        row=JSONObject(**{name: name for name in CaseStoryTranslation.TEXT_FIELDS})
    )
    return Subquery(rows[:1], output_field=JSONField())


# The story by slug with its translation into the page's language, its SQL compiled once per language and
# audience (key: the language and whether the visitor may preview stories not yet published).
_story_by_slug = Prepared(
    lambda key, slug: (
        (CaseStory.objects.all() if key[1] else CaseStory.objects.published())
        .only(*STORY_FIELDS)
        .annotate(translation=translation_of(key[0]))
        .filter(slug=slug)
    ),
    json_annotations=("translation",),
)


@require_safe
def case_detail(request, slug):
    """A story page; those who may preview see a story not yet published, marked as a preview."""
    language = get_language() or settings.LANGUAGE_CODE
    story = _story_by_slug.first((language, may_preview(request.user, CaseStory)), slug)
    if story is None:
        raise Http404("No story at this address.")
    translated_from = ""
    if story.translation and story.language != language:
        translated_from = get_language_info(story.language)["name_translated"]
        for name, value in story.translation.items():
            setattr(story, name, value)
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
            "text_language": language if translated_from else story.language,
            "translated_from": translated_from,
            "original_url": localized(request.path, story.language),
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


def _already_sent(request) -> CaseStory | None:
    """A second POST of the same rendered form (a double click, a reload): its story exists."""
    key = submission_key(request.POST.get("submission_key"))
    return CaseStory.objects.filter(submission_key=key).only("status_token").first() if key else None


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


def _retry(wait: int) -> dict:
    """When a story over the limit may be sent again."""
    return {"retry_at": timezone.now() + timedelta(seconds=wait), "retry_minutes": max(1, math.ceil(wait / 60))}


def _rate_limited(response, wait: int):
    """429, with the form as it was typed and when to try again."""
    response.status_code = 429
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
    if sent := _already_sent(request):
        return redirect("cases:thanks_for", token=sent.status_token)
    if wait := story_post_wait(request):
        page = _form_page(
            request,
            CaseSubmitForm.retyped(request.POST),
            template="cases/rate_limited.html",
            photo_again=bool(request.FILES.get("photo")),
            **_retry(wait),
        )
        return _rate_limited(page, wait)
    if _too_large(request):
        return render(request, "cases/too_large.html", {"back_url": reverse("cases:submit")}, status=413)
    return None


def _submit(request, form):
    if form.is_spam:
        return redirect("cases:thanks")
    if form.is_valid():
        try:
            case = case_submit(**form.story())
        except ValidationError as error:
            _add_service_errors(form, error)
        except PhotoStorageError:
            log.exception("The story form could not store a photo")
            return _form_page(request, form, status=503, storage_failed=True, photo_again=form.photo_sent)
        else:
            return redirect("cases:thanks_for", token=case.status_token)
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
def case_thanks(request, token=None):
    """After sending: with the story's private status link (the page is private: under /cases/submit/)."""
    story = get_object_or_404(CaseStory.objects.only("status_token"), status_token=token) if token else None
    status_url = absolute(story.get_status_url()) if story else ""
    return render(request, "cases/thanks.html", {"status_url": status_url})


def _status_page(request, story, *, form=None, status: int = 200, **context):
    sent = latest_sent(story)
    edits = edits_since_sent(story, sent) if sent and story.is_public else None
    return _form_page(
        request,
        form,
        status=status,
        template="cases/status.html",
        story=story,
        sent=sent,
        sent_rows=sent_rows(sent.fields if sent else story_fields(story)),
        edits=edits,
        resent=story.decisions.filter(action=ModerationDecision.Action.RESENT).exists(),
        **context,
    )


def _resend_refused(request, story):
    """The answer to a resend that is not judged at all: not waiting for changes, over the limit, or too large."""
    if story.status != Status.CHANGES_REQUESTED:
        return redirect(story.get_status_url())
    if wait := story_post_wait(request):
        form = CaseResendForm.retyped(request.POST, story=story)
        page = _status_page(request, story, form=form, photo_again=bool(request.FILES.get("photo")), **_retry(wait))
        return _rate_limited(page, wait)
    if _too_large(request):
        return render(request, "cases/too_large.html", {"back_url": story.get_status_url()}, status=413)
    return None


def _resend(request, story):
    """The contributor sends the story again after a request for changes: the same checks as the first time."""
    if refused := _resend_refused(request, story):
        return refused
    form = CaseResendForm(request.POST, request.FILES, story=story)
    try:
        if form.is_valid():
            try:
                case_resend(case=story, **form.story())
            except ValidationError as error:
                if any(e.code == "state" for e in getattr(error, "error_list", [])):
                    return redirect(story.get_status_url())
                _add_service_errors(form, error)
            except PhotoStorageError:
                log.exception("The status page could not store a photo")
                return _status_page(request, story, form=form, status=503, storage_failed=True, photo_again=True)
            else:
                return redirect(story.get_status_url())
        return _status_page(request, story, form=form, photo_again=form.photo_sent)
    finally:
        form.release()


@require_http_methods(["GET", "POST"])
def case_status(request, token):
    """The contributor's private page: the story's state, what they sent and, when the webmaster asks
    for changes, the story to edit and send again."""
    story = get_object_or_404(CaseStory, status_token=token)
    if request.method == "POST":
        return _resend(request, story)
    form = CaseResendForm(story=story) if story.status == Status.CHANGES_REQUESTED else None
    return _status_page(request, story, form=form)
