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

from greenjobs.derived import derived
from greenjobs.siteurl import absolute
from greenjobs.structured import derived_response, json_ld

from .forms import MonthJumpForm
from .grid import MAX_YEAR, MIN_YEAR, Month, month_label, month_of
from .ical import ICAL_FIELDS, calendar_for
from .models import AgendaItem, Event

PAST_PER_PAGE = 20
UPCOMING_PER_PAGE = 30
# The calendar feed: every upcoming event and those that ended less than this many days ago.
CALENDAR_DAYS_BACK = 365
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _visible_events(request):
    """The public sees published events; staff who may view events also see drafts (as a preview)."""
    if request.user.is_staff and request.user.has_perm("events.view_event"):
        return Event.objects.all()
    return Event.objects.published()


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
    queryset = _visible_events(request).prefetch_related(
        "themes",
        "documents",
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("date", "start_time", "order", "pk")),
    )
    return get_object_or_404(queryset, slug=slug)


def _json_ld(event, url: str) -> str:
    """schema.org Event as JSON, with <, > and & escaped so it cannot close the script element."""
    if event.all_day:
        start, end = event.start_date.isoformat(), event.end_date.isoformat()
    else:
        start, end = event.local_start.isoformat(), event.local_end.isoformat()
    places = []
    if event.place_label:
        address = {"@type": "PostalAddress", "addressLocality": event.city}
        if event.country:
            address["addressCountry"] = event.country.code
        places.append({"@type": "Place", "name": event.venue or event.city, "address": address})
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if event.online_url and places[:-1]:
        mode = "https://schema.org/MixedEventAttendanceMode"
    elif event.online_url:
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": start,
        "endDate": end,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "description": event.summary,
        "url": url,
    }
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    return json_ld(data)


def _agenda_days(event) -> list[tuple[dt.date, list[AgendaItem]]]:
    days: dict[dt.date, list[AgendaItem]] = {}
    for item in event.agenda_items.all():
        days.setdefault(item.date, []).append(item)
    return list(days.items())


@require_safe
def event_detail(request, slug):
    event = _event_or_404(request, slug)
    url = absolute(event.get_absolute_url())
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "agenda_days": _agenda_days(event),
            "documents": list(event.documents.all()),
            "themes": list(event.themes.all()),
            "json_ld": _json_ld(event, url),
            "is_preview": event.status != Event.Status.PUBLISHED,
        },
    )


def _ical_events(queryset):
    """The events with only the columns an entry needs, and their theme names (one query)."""
    return queryset.only(*ICAL_FIELDS).with_theme_names("tag__name")


def _ical(events, name: str | None) -> bytes:
    root = absolute("/")  # joined directly: urljoin for each of thousands of events costs more than the entry
    return calendar_for(
        events, lambda event: root + event.get_absolute_url().removeprefix("/"), lambda event: event.theme_names, name
    )


@require_safe
def event_ics(request, slug):
    """One event's calendar entry (staff may fetch a draft's, as a preview)."""
    staff = request.user.is_staff and request.user.has_perm("events.view_event")

    def build() -> bytes:
        event = get_object_or_404(_ical_events(_visible_events(request)), slug=slug)
        return _ical([event], event.title)

    return derived_response(
        request,
        f"events:ics:{'staff' if staff else 'public'}:{slug}",
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
        return _ical(_ical_events(events), name)

    filename = f"green-jobs-events-{theme_slug}.ics" if theme_slug else "green-jobs-events.ics"
    return derived_response(
        request,
        f"events:calendar:{today.isoformat()}:{theme_slug or ''}",
        build,
        content_type=CALENDAR_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
