import datetime as dt
import hashlib
import re

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from taggit.models import Tag

from greenjobs.core.derived import derived
from greenjobs.core.publishing import may_preview
from greenjobs.core.structured import derived_response

from .forms import MonthJumpForm
from .grid import MAX_YEAR, MIN_YEAR, Month, month_label, month_of
from .models import AgendaItem, Event
from .structured import calendar_of, event_json_ld

PAST_PER_PAGE = 20
UPCOMING_PER_PAGE = 30
# The calendar feed: every upcoming event and those that ended less than this many days ago.
CALENDAR_DAYS_BACK = 365
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _months_html(ids: list[int]) -> str:
    """A page of the upcoming list under a heading per month, rendered once per content version and page."""

    def build() -> str:
        by_pk = Event.objects.published().for_lists().in_bulk(ids)
        months: dict[str, list[Event]] = {}
        for event in (by_pk[pk] for pk in ids if pk in by_pk):
            months.setdefault(month_label(event.start_date), []).append(event)
        return render_to_string("events/_event_months.html", {"months": list(months.items())})

    digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=16).hexdigest()
    return mark_safe(derived(f"events:upcoming-page:{get_language()}:{digest}", build))


@require_safe
def event_list(request):
    ids, has_past = Event.objects.upcoming_ids()
    page_obj = Paginator(ids, UPCOMING_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "page_obj": page_obj,
            "months_html": _months_html(page_obj.object_list) if page_obj.object_list else "",
            "this_month": timezone.localdate(),
            "has_past": has_past,
        },
    )


@require_safe
def event_past(request):
    paginator = Paginator(Event.objects.published().past().for_lists(), PAST_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "events/event_past.html", {"page_obj": page_obj, "events": page_obj.object_list})


def _month_page(request, year: int, month: int, jump_form: MonthJumpForm, status: int = 200):
    """The month grid is rendered once per content version, month and language (and day, for this month)."""
    today = timezone.localdate()

    def build() -> str:
        grid = month_of(Event.objects.published().for_grids(), year, month, today)
        return render_to_string("events/_month_table.html", {"grid": grid})

    day = today.isoformat() if (today.year, today.month) == (year, month) else ""
    table = derived(f"events:month:{year:04d}-{month:02d}:{day}:{get_language()}", build)
    return render(
        request,
        "events/event_month.html",
        {
            "grid": Month(year=year, month=month, weeks=[]),
            "month_table": mark_safe(table),
            "jump_form": jump_form,
            "today": today,
        },
        status=status,
    )


@require_safe
def event_month(request, year: str, month: str):
    year_number, month_number = int(year), int(month)
    if not (MIN_YEAR <= year_number <= MAX_YEAR and 1 <= month_number <= 12):
        raise Http404(_("No such month."))
    form = MonthJumpForm(initial={"month": month_number, "year": year_number})
    return _month_page(request, year_number, month_number, form)


@require_safe
def month_jump(request):
    """Target of the month/year jump form: redirect to the month page, or show what was wrong."""
    form = MonthJumpForm(request.GET)
    if form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        return redirect("events:month", year=f"{year:04d}", month=f"{month:02d}")
    today = timezone.localdate()
    return _month_page(request, today.year, today.month, form)


def _event_or_404(request, slug):
    queryset = Event.objects.visible_to(request.user).prefetch_related(
        "themes",
        "documents",
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("date", "start_time", "order", "pk")),
    )
    return get_object_or_404(queryset, slug=slug)


def _agenda_days(event) -> list[tuple[dt.date, list[AgendaItem]]]:
    days: dict[dt.date, list[AgendaItem]] = {}
    for item in event.agenda_items.all():
        days.setdefault(item.date, []).append(item)
    return list(days.items())


@require_safe
def event_detail(request, slug):
    """An event page; those who may preview see a draft, marked as a preview."""
    event = _event_or_404(request, slug)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "agenda_days": _agenda_days(event),
            "documents": list(event.documents.all()),
            "themes": list(event.themes.all()),
            "json_ld": event_json_ld(event),
            "is_preview": not event.is_public,
        },
    )


@require_safe
def event_ics(request, slug):
    """One event's calendar entry (those who may preview fetch a draft's too)."""
    visible = "preview" if may_preview(request.user, Event) else "public"

    def build() -> bytes:
        event = get_object_or_404(Event.objects.visible_to(request.user).for_calendars(), slug=slug)
        return calendar_of([event], event.title)

    return derived_response(
        request,
        f"events:ics:{visible}:{slug}",
        build,
        content_type=CALENDAR_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{slug}.ics"'},
    )


@require_safe
def calendar_feed(request):
    """Published events, upcoming plus the last 12 months (whole days); ?theme=<slug> narrows it (unknown: 404).

    Kept per content version and day, with ETag and Last-Modified, so polling calendar apps mostly get a 304.
    """
    theme_slug = request.GET.get("theme")
    if theme_slug is not None and not re.fullmatch(r"[-\w]{1,100}", theme_slug):
        raise Http404(_("No such theme."))
    today = timezone.now().astimezone(dt.UTC).date()
    since = dt.datetime.combine(today - dt.timedelta(days=CALENDAR_DAYS_BACK), dt.time(0), tzinfo=dt.UTC)

    def build() -> bytes:
        events = Event.objects.published().filter(ends_at__gte=since).order_by("starts_at", "pk")
        name = _("Green Jobs Portal events")
        if theme_slug is not None:
            theme = get_object_or_404(Tag, slug=theme_slug)
            events = events.filter(themes=theme)
            name = _("Green Jobs Portal events: %(theme)s") % {"theme": theme.name}
        return calendar_of(events.for_calendars(), name)

    filename = f"green-jobs-events-{theme_slug}.ics" if theme_slug else "green-jobs-events.ics"
    return derived_response(
        request,
        f"events:calendar:{today.isoformat()}:{theme_slug or ''}",
        build,
        content_type=CALENDAR_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
