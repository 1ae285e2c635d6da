import datetime as dt
import hashlib
import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from taggit.models import Tag, TaggedItem

from greenjobs.core.derived import derived
from greenjobs.core.prepared import Prepared, child_rows, instances
from greenjobs.core.publishing import may_preview
from greenjobs.core.structured import CALENDAR_TYPE, derived_response, subscription_response
from greenjobs.core.taxonomy import moved_theme_redirect, theme_label

from . import listing
from .entries import kept_entries, window_start
from .forms import MonthJumpForm
from .grid import MAX_YEAR, MIN_YEAR, Month, month_label, month_of, month_table
from .models import AgendaItem, Document, Event
from .structured import calendar_of, event_json_ld

PAST_PER_PAGE = 20
UPCOMING_PER_PAGE = 30


def _months_html(items: list) -> str:
    """A page of the upcoming list under a heading per month, rendered once per content version and page."""

    def build() -> str:
        pks = [listed.item for listed in items if isinstance(listed.item, int)]
        by_pk = Event.objects.published().for_lists().in_bulk(pks)
        months: dict[str, list] = {}
        for listed in items:
            item = by_pk.get(listed.item) if isinstance(listed.item, int) else listed.item
            if item is not None:
                months.setdefault(month_label(item.start_date), []).append(item)
        return render_to_string("events/_event_months.html", {"months": list(months.items())})

    names = ",".join(str(listed.item) if isinstance(listed.item, int) else listed.item.uid for listed in items)
    digest = hashlib.blake2b(names.encode(), digest_size=16).hexdigest()
    return mark_safe(derived(f"events:upcoming-page:{get_language()}:{digest}", build))


@require_safe
def event_list(request):
    """Events and course sessions not ended yet, soonest first; ?theme=, ?kind= and ?country= narrow them."""
    found = listing.upcoming()
    chosen, unknown = listing.chosen_filters(request.GET, found)
    moved = moved_theme_redirect(request, known="theme" not in unknown)
    if moved:
        return moved
    items, options = listing.filtered(found, chosen)
    page_obj = Paginator(items, UPCOMING_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "page_obj": page_obj,
            "months_html": _months_html(page_obj.object_list) if page_obj.object_list else "",
            "this_month": timezone.localdate(),
            "has_past": found.has_past,
            "options": options,
            "any_hrefs": listing.with_links(options, chosen),
            "chosen": chosen,
            "unknown": unknown,
            "labels": {
                name: next((option["label"] for option in options[name] if option["selected"]), value)
                for name, value in chosen.items()
            },
        },
    )


@require_safe
def event_past(request):
    """Past events, newest first; ?year= shows one year (the years with past events are listed)."""
    years = _past_years()
    year = request.GET.get("year")
    events = Event.objects.published().past().for_lists()
    bad_year = False
    if year is not None:
        if year.isdigit() and int(year) in years:
            year = int(year)
            events = events.filter(start_date__year=year)
        else:
            bad_year, year = True, None
    paginator = Paginator(events, PAST_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "events": page_obj.object_list, "years": years, "year": year, "bad_year": bad_year}
    return render(request, "events/event_past.html", context, status=404 if bad_year else 200)


def _past_years() -> list[int]:
    """The years (of their first day) that have past events, newest first: one query per content version and day.

    A loose index scan (one probe of event_dates_idx per year), so that no year's events are all read.
    """
    now = timezone.now()

    def build() -> list[int]:
        table = Event._meta.db_table
        probe = (
            f"SELECT start_date FROM {table} WHERE status = %s AND ends_at < %s AND start_date >= {{low}} "
            "ORDER BY start_date LIMIT 1"
        )
        sql = f"""
            WITH RECURSIVE years(day) AS (
                ({probe.format(low="'0001-01-01'::date")})
                UNION ALL
                SELECT ({probe.format(low="make_date(extract(year FROM day)::int + 1, 1, 1)")})
                FROM years WHERE day IS NOT NULL AND extract(year FROM day) < 9999
            )
            SELECT extract(year FROM day)::int FROM years WHERE day IS NOT NULL
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [Event.Status.PUBLISHED, now] * 2)
            return sorted((row[0] for row in cursor.fetchall()), reverse=True)

    return derived(f"events:past-years:{now.date().isoformat()}", build)


def _month_page(request, year: int, month: int, jump_form: MonthJumpForm, status: int = 200):
    """The month grid and its jump form are rendered once per content version, month and language (and day,
    for this month)."""
    today = timezone.localdate()

    def build() -> tuple[str, str]:
        grid = month_of(Event.objects.published().for_grids(), year, month, today)
        table = month_table(grid)
        jump = render_to_string("events/_month_jump.html", {"jump_form": MonthJumpForm(initial=initial)})
        return table, jump

    initial = {"month": month, "year": year}
    day = today.isoformat() if (today.year, today.month) == (year, month) else ""
    table, jump = derived(f"events:month-page:{year:04d}-{month:02d}:{day}:{get_language()}", build)
    return render(
        request,
        "events/event_month.html",
        {
            "grid": Month(year=year, month=month, weeks=[]),
            "month_table": mark_safe(table),
            # The jump form as it is on every visit of this month; one sent back with errors is rendered.
            "jump_html": "" if jump_form.is_bound else mark_safe(jump),
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


# The event page is one query, compiled once per language and audience (key: the language and whether
# the visitor may preview drafts): the event, with its agenda, documents and themes as JSON; a page view
# builds no queryset.
_event_by_slug = Prepared(
    lambda key, slug: (
        (Event.objects.all() if key[1] else Event.objects.published())
        .filter(slug=slug)
        .annotate(
            agenda_rows=child_rows(AgendaItem.objects.all(), "event", order_by=("date", "start_time", "order", "id")),
            document_rows=child_rows(Document.objects.all(), "event", order_by=("order", "id")),
            theme_rows=child_rows(
                TaggedItem.objects.filter(content_type__app_label="events", content_type__model="event"),
                "object_id",
                order_by=("id",),
                id="tag_id",
                name="tag__name",
                slug="tag__slug",
            ),
        )
    ),
    json_annotations=("agenda_rows", "document_rows", "theme_rows"),
)


def _agenda_days(items: list[AgendaItem]) -> list[tuple[dt.date, list[AgendaItem]]]:
    days: dict[dt.date, list[AgendaItem]] = {}
    for item in items:
        days.setdefault(item.date, []).append(item)
    return list(days.items())


def _stage(event, now: dt.datetime) -> str:
    """Where the event stands at ``now``: "upcoming", "now" or "past"."""
    if now < event.starts_at:
        return "upcoming"
    return "now" if now < event.ends_at else "past"


@require_safe
def event_detail(request, slug):
    """An event page; those who may preview see a draft, marked as a preview.

    Whether it is upcoming, happening now or over is decided at each request; the page cache keeps a page
    for ``PAGE_CACHE_SECONDS``, so a page asked that close to the event's start or end is not kept.
    """
    key = (get_language(), may_preview(request.user, Event))
    event = _event_by_slug.first(key, slug)
    if event is None:
        raise Http404("No event at this address.")
    now = timezone.now()
    response = render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "stage": _stage(event, now),
            "course": event.linked_course(),
            "agenda_days": _agenda_days(instances(AgendaItem, event.agenda_rows)),
            "documents": instances(Document, event.document_rows),
            "themes": instances(Tag, event.theme_rows),
            "json_ld": event_json_ld(event),
            "is_preview": not event.is_public,
            "calendar_url": reverse("events:calendar_feed"),
        },
    )
    keep = dt.timedelta(seconds=max(settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_MAX_AGE))
    if any(now <= moment < now + keep for moment in (event.starts_at, event.ends_at)):
        patch_cache_control(response, no_cache=True, max_age=0)
    return response


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
    """Published events and the other calendar entries (course sessions), upcoming plus the last 12 months
    (whole days); ?theme=<slug> narrows it (unknown: 404).

    Answered inline (calendar apps subscribe to it), kept per content version and day, with ETag and
    Last-Modified, so polling calendar apps mostly get a 304.
    """
    theme_slug = request.GET.get("theme")
    if theme_slug is not None and not re.fullmatch(r"[-\w]{1,100}", theme_slug):
        raise Http404(_("No such theme."))
    since = window_start()

    def build() -> bytes:
        events = Event.objects.published().filter(ends_at__gte=since).order_by("starts_at", "pk")
        entries = kept_entries()
        name = _("Green Jobs Portal events")
        if theme_slug is not None:
            theme = get_object_or_404(Tag, slug=theme_slug)
            events = events.filter(themes=theme)
            entries = [entry for entry in entries if theme_slug in entry.theme_slugs]
            name = _("Green Jobs Portal events: %(theme)s") % {"theme": theme_label(theme.name)}
        return calendar_of(events.for_calendars(), name, entries)

    return subscription_response(request, f"events:calendar:{since.date().isoformat()}:{theme_slug or ''}", build)
