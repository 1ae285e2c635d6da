import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from greenjobs.core.contentversion import content_version
from greenjobs.core.derived import SECONDS as DERIVED_SECONDS
from greenjobs.core.publishing import may_preview
from greenjobs.core.registry import registry
from greenjobs.core.related import TEMPLATE as RELATED_TEMPLATE
from greenjobs.core.related import related
from greenjobs.core.structured import derived_response, subscription_response
from greenjobs.core.taxonomy import moved_theme_redirect
from greenjobs.core.translated import translated_fields

from . import calendar, selectors
from .labels import format_minutes
from .models import Course, CourseFormat, CourseSession, Language, PreparationStep
from .structured import course_calendar, course_json_ld, course_sessions_calendar

PAGE_SIZE = 24
LAZY_AFTER = 3  # cards below the first row load their image lazily
CARD = "courses/_card.html"
# The related stories of a course page: case stories, as their app indexes them for the site search.
STORY_KIND = "case"


@require_safe
def course_list(request):
    """The catalogue: courses with an upcoming session first, soonest first, then the rest by title.

    Filtered, ordered and paged from the catalogue kept per content version; each card is rendered once
    per version and next session, so a page of kept cards reads nothing from the database.
    """
    now = timezone.now()
    version = _version()
    catalogue = selectors.catalogue(version)
    theme = next((tag for tag in catalogue.themes if tag["slug"] == request.GET.get("theme")), None)
    moved = moved_theme_redirect(request, known=theme is not None)
    if moved:
        return moved
    course_format = request.GET.get("format")
    if course_format not in CourseFormat.values:
        course_format = None
    language = request.GET.get("language")
    if language not in Language.values:
        language = None
    listed = [
        (course, course.next_session(now))
        for course in catalogue.courses
        if (theme is None or theme["slug"] in course.theme_slugs)
        and (course_format is None or course.format == course_format)
        and (language is None or language in course.languages)
    ]
    listed.sort(key=lambda item: (0, item[1][0]) if item[1] else (1,))  # stable: ties stay by title, pk

    paginator = Paginator(listed, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))

    return render(
        request,
        "courses/course_list.html",
        {
            "page_obj": page_obj,
            "courses": _cards(version, catalogue, page_obj.object_list),
            "theme_options": _theme_options(catalogue, theme),
            "formats": CourseFormat.choices,
            "languages": Language.choices,
            "current_theme": theme,
            "current_format": course_format,
            "current_language": language,
            "filtered": bool(theme or course_format or language),
        },
    )


def _theme_options(catalogue: selectors.Catalogue, current: dict | None) -> str:
    """The theme filter's ``<option>`` elements (a template loop over hundreds of themes costs milliseconds)."""
    options = catalogue.options
    if current:
        value = f'<option value="{escape(current["slug"])}"'
        options = options.replace(f"{value}>", f"{value} selected>", 1)
    return mark_safe(options)


def _cards(version: int | None, catalogue: selectors.Catalogue, listed: list) -> list[str]:
    """The catalogue cards of one page, each kept per content version, language and next session.

    Only the cards not kept are rendered: two queries (the courses, their next sessions).
    """
    language = get_language()
    names = {
        position: f"courses:card:{language}:{course.pk}:{session[1] if session else 0}:{int(position >= LAZY_AFTER)}"
        for position, (course, session) in enumerate(listed)
    }

    def build(positions: list[int]) -> dict[int, str]:
        chosen = {position: listed[position] for position in positions}
        pks = [course.pk for course, _ in chosen.values()]
        courses = {course.pk: course for course in Course.objects.published().filter(pk__in=pks).for_cards()}
        session_ids = [session[1] for _, session in chosen.values() if session]
        sessions = {session.pk: session for session in CourseSession.objects.filter(pk__in=session_ids)}
        for listed_course, _ in chosen.values():
            if listed_course.pk in courses:
                courses[listed_course.pk].card_themes = catalogue.theme_list(listed_course)
        return {
            position: render_to_string(
                CARD,
                {
                    "course": courses[course.pk],
                    "session": sessions.get(session[1]) if session else None,
                    "lazy": position >= LAZY_AFTER,
                },
            ).strip()
            for position, (course, session) in chosen.items()
            if course.pk in courses
        }

    html = kept(version, names, build)
    return [mark_safe(html[position]) for position in range(len(listed)) if position in html]


def _version(request=None) -> int | None:
    """The content version to keep derived parts under; None where nothing may be kept: inside a
    transaction (it does not move until commit) and for those who may preview (drafts do not move it)."""
    if connection.in_atomic_block or (request is not None and may_preview(request.user, Course)):
        return None
    return content_version()


def kept(version: int | None, names: dict, build: Callable[[list], dict]) -> dict:
    """``{item: value}`` for each of ``names`` ({item: cache name}), kept under the content ``version``.

    ``build(items)`` makes the values not kept (all of them without a version).
    """
    if version is None:
        return build(list(names))
    keys = {item: f"derived:{version}:{name}" for item, name in names.items()}
    found = cache.get_many(list(keys.values())) if keys else {}
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in names if item not in values]
    if missing:
        fresh = build(missing)
        cache.set_many({keys[item]: value for item, value in fresh.items()}, DERIVED_SECONDS)
        values.update(fresh)
    return values


# The translated fields' own columns (title_en, title_fr…): the original column would set the page language's.
STEP_COLUMNS = [
    field.attname
    for field in PreparationStep._meta.concrete_fields
    if field.attname not in translated_fields(PreparationStep)
]


def _step_rows() -> ArraySubquery:
    """The course's preparation steps, in order, as JSON objects read with the course (one query less)."""
    steps = PreparationStep.objects.rewrite(False).filter(course=OuterRef("pk")).order_by("order", "pk")
    return ArraySubquery(steps.values(row=JSONObject(**{name: name for name in STEP_COLUMNS})))


@dataclass
class CoursePage:
    """What a course page shows that only an edit changes, its parts rendered (kept per content version)."""

    course: Course
    sessions: list[CourseSession]
    body: str
    prepare: str
    related: str


def _course_page(slug: str, queryset) -> CoursePage | None:
    """Read and render the course's unchanging parts: one query for the course with its steps, one for its
    themes, one for its sessions and one for its related stories."""
    # Items of other kinds naming the course (its events), read with it.
    linked = {f"linked_{n}": source.linked_items(Course) for n, source in enumerate(registry.with_("linked_items"))}
    course = queryset.annotate(step_rows=_step_rows(), **linked).prefetch_related("themes").filter(slug=slug).first()
    if course is None:
        return None
    sessions = list(course.sessions.all())
    by_id = {session.pk: session for session in sessions}
    steps = [PreparationStep(**row) for row in course.step_rows]
    del course.step_rows
    for step in steps:
        if step.session_id in by_id:
            step.session = by_id[step.session_id]
        step.course = course
    for session in sessions:
        session.course = course
    total_minutes = sum(step.estimated_minutes for step in steps)
    context = {
        "course": course,
        "themes": list(course.themes.all()),
        "steps": steps,
        "total_minutes": total_minutes,
        "total_time": format_minutes(total_minutes),
    }
    context["linked"] = [
        {**row, "first": date.fromisoformat(row["first"]), "last": date.fromisoformat(row["last"])}
        for name in linked
        for row in getattr(course, name) or ()
    ]
    return CoursePage(
        course=course,
        sessions=sessions,
        body=_fragment("courses/_course_body.html", context),
        prepare=_fragment("courses/_course_prepare.html", context),
        related=_related_stories(context["themes"]),
    )


def _related_stories(themes) -> str:
    """Case stories on the course's themes, or nothing when none shares one."""
    stories = related(STORY_KIND, [theme.pk for theme in themes])
    if not stories:
        return ""
    context = {
        "related": stories,
        "title": gettext("Real-world examples"),
        "intro": gettext("Case stories on the same themes as this course."),
    }
    return _fragment(RELATED_TEMPLATE, context)


def _fragment(template_name: str, context: dict) -> str:
    """A part of a page, without the line breaks that open and close its template file."""
    return mark_safe(render_to_string(template_name, context).removeprefix("\n").removesuffix("\n"))


@require_safe
def course_detail(request, slug):
    """A course page. Its parts are kept per content version; only the sessions, split at now, are picked
    each time (their table kept per which have begun and which take applications). Those who may preview
    see any course as it is in the database, a draft with a preview banner."""
    now = timezone.now()
    version = _version(request)
    queryset = Course.objects.visible_to(request.user)

    def page_parts(_) -> dict:
        page = _course_page(slug, queryset)
        return {0: page} if page is not None else {}  # an unknown address is not kept

    page = kept(version, {0: f"courses:page:{get_language()}:{slug}"}, page_parts).get(0)
    if page is None:
        raise Http404("No course here.")
    course = page.course
    upcoming = [session for session in page.sessions if session.start >= now]
    past = sorted((session for session in page.sessions if session.start < now), key=lambda s: s.start, reverse=True)

    def session_parts(_) -> dict:
        context = {"course": course, "upcoming_sessions": upcoming, "past_sessions": past}
        return {0: (_fragment("courses/_course_sessions.html", context), course_json_ld(course, upcoming))}

    state = "".join("p" if session.start < now else "a" if session.can_apply else "u" for session in page.sessions)
    name = f"courses:sessions:{get_language()}:{course.pk}:{hashlib.sha256(state.encode()).hexdigest()[:16]}"
    sessions, json_ld = kept(version, {0: name}, session_parts)[0]
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "body": page.body,
            "sessions": sessions,
            "prepare": page.prepare,
            "related": page.related,
            "json_ld": json_ld,
            "is_preview": not course.is_public,
        },
    )


@require_safe
def session_ics(request, slug, pk):
    """One session's calendar entry, kept per content version, with ETag and Last-Modified."""

    def build() -> bytes:
        course = get_object_or_404(Course.objects.published(), slug=slug)
        try:
            session = course.sessions.get(pk=pk)
        except CourseSession.DoesNotExist as error:
            raise Http404 from error
        session.course = course
        return course_calendar(course, session)

    return derived_response(
        request,
        f"courses:session-ics:{slug}:{pk}",
        build,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}-session-{pk}.ics"'},
    )


@require_safe
def course_calendar_feed(request, slug):
    """The course's own calendar to subscribe to: its sessions from a year back, answered inline."""

    def build() -> bytes:
        course = get_object_or_404(Course.objects.published(), slug=slug)
        return course_sessions_calendar(course, calendar.upcoming_of(course))

    return subscription_response(request, f"courses:calendar:{timezone.now().date().isoformat()}:{slug}", build)
