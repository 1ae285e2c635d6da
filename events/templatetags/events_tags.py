from django import template
from django.db.models import Value
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.entries import entries_between, kept_entries, upcoming_entries
from events.grid import build_month, merged, month_bounds, month_of
from events.models import Event
from greenjobs.core.derived import derived, slot_start
from greenjobs.templatetags.translated_tags import english_lang

register = template.Library()

HOME_UPCOMING = 3
# The home slot's "coming up" list follows the clock: it is kept at most this many minutes.
HOME_SLOT_MINUTES = 5


def _mini_calendar_context(year: int | None = None, month: int | None = None) -> dict:
    today = timezone.localdate()
    grid = month_of(Event.objects.published().for_grids(), year or today.year, month or today.month, today)
    return {"grid": grid, "today": today}


@register.simple_tag
def mini_calendar(year: int | None = None, month: int | None = None):
    """The classic calendar portlet for sidebars: one month, days with events linked.

    Rendered once per day, month and content version (one query when it is).
    """
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    return derived(
        f"events:mini-calendar:{today.isoformat()}:{year}:{month}:{get_language()}",
        lambda: render_to_string("includes/mini_calendar.html", _mini_calendar_context(year, month)),
    )


@register.simple_tag
def home_events():
    """Home page slot: this month's mini calendar and the next three events or course sessions.

    One query for the events (the month's and the next three, together), one for the other calendar entries
    (kept per day, so often none); rendered once per five-minute slot.
    """
    now = timezone.now()
    slot = slot_start(now, HOME_SLOT_MINUTES)

    def build() -> str:
        today = timezone.localdate()
        first, last = month_bounds(today.year, today.month)
        published = Event.objects.published().for_lists()
        month = published.overlapping(first, last).annotate(part=Value(0))
        soon = published.upcoming(now).annotate(part=Value(1))[:HOME_UPCOMING]
        rows = list(month.union(soon, all=True))
        in_month = {event.pk: event for event in rows if event.part == 0}
        kept = kept_entries()
        in_month_entries = entries_between(first, last, kept)
        grid = build_month(today.year, today.month, merged(in_month.values(), in_month_entries), today)
        upcoming = merged((event for event in rows if event.part == 1), upcoming_entries(now, kept)[:HOME_UPCOMING])
        context = {"grid": grid, "today": today, "upcoming": upcoming[:HOME_UPCOMING]}
        return render_to_string("events/_home_events.html", context)

    return derived(f"events:home:{slot.isoformat()}:{get_language()}", build)


# --- The event page's agenda -------------------------------------------------------------------
# Built here rather than in a template: most events are seen once (the long tail), and as nested
# template loops a programme of a dozen sessions cost a fifth of the page.


def _session(item) -> str:
    end = f"\u2013{time_filter(item.end_time, 'H:i')}" if item.end_time else ""  # an en dash
    description = (
        f"<p{english_lang(item, 'description')}>{conditional_escape(item.description)}</p>" if item.description else ""
    )
    speakers = f'<p class="meta">{conditional_escape(item.speakers)}</p>' if item.speakers else ""
    return (
        f'\n        <tr class="agenda__item agenda__item--{conditional_escape(item.session_type)}">'
        f'\n          <th scope="row" class="agenda__time">{time_filter(item.start_time, "H:i")}{end}</th>'
        "\n          <td>"
        f"\n            <strong{english_lang(item, 'title')}>{conditional_escape(item.title)}</strong>"
        f' <span class="tag">{conditional_escape(item.get_session_type_display())}</span>'
        f"\n            {description}"
        f"\n            {speakers}"
        "\n          </td>"
        "\n        </tr>"
        "\n        "
    )


@register.simple_tag
def event_agenda(days: list, event) -> str:
    """The programme, a table per day (``days``: (date, sessions) in order); "" without sessions."""
    if not days:
        return ""
    head = f'<thead><tr><th scope="col">{_("Time")}</th><th scope="col">{_("Session")}</th></tr></thead>'
    tables = []
    for number, (day, items) in enumerate(days, start=1):
        caption = _("Day %(number)s: %(date)s") % {
            "number": number,
            "date": conditional_escape(date_filter(day, "l j F Y")),
        }
        tables.append(
            '\n    <table class="agenda">'
            f"\n      <caption>{caption}</caption>"
            f"\n      {head}"
            "\n      <tbody>"
            "\n        " + "".join(_session(item) for item in items) + "\n      </tbody>"
            "\n    </table>"
            "\n    "
        )
    times = _("Times are %(city)s time.") % {"city": conditional_escape(event.zone_city)}
    return mark_safe(
        '\n  <section aria-labelledby="agenda-title">'
        f'\n    <h2 id="agenda-title">{_("Agenda")}</h2>'
        "\n    " + "".join(tables) + f'\n    <p class="meta">{times}</p>'
        "\n  </section>"
        "\n  "
    )
