from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef, prefetch_related_objects
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag, TaggedItem

from greenjobs.derived import derived
from greenjobs.structured import derived_response

from .models import CARD_FIELDS, Course, CourseFormat, CourseSession, Language, PreparationStep, format_minutes
from .selectors import related_case_stories
from .structured import course_calendar, course_json_ld

PAGE_SIZE = 24


@require_safe
def course_list(request):
    """The catalogue: courses with an upcoming session first, soonest first, then the rest by title."""
    now = timezone.now()
    courses = Course.objects.published().catalogue(now).only(*CARD_FIELDS)

    themes = derived("courses:themes", _catalogue_themes)
    theme = next((tag for tag in themes if tag["slug"] == request.GET.get("theme")), None)
    if theme:
        courses = courses.filter(themes__slug=theme["slug"])
    course_format = request.GET.get("format")
    if course_format in CourseFormat.values:
        courses = courses.filter(format=course_format)
    else:
        course_format = None
    language = request.GET.get("language")
    if language in Language.values:
        courses = courses.filter(languages__contains=[language])
    else:
        language = None

    # A count and one page of cards: never every course's row.
    paginator = Paginator(courses, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.object_list = list(page_obj.object_list)
    prefetch_related_objects(page_obj.object_list, Course.upcoming_sessions_prefetch(now))
    _attach_themes(page_obj.object_list)

    return render(
        request,
        "courses/course_list.html",
        {
            "page_obj": page_obj,
            "courses": page_obj.object_list,
            "themes": themes,
            "formats": CourseFormat.choices,
            "languages": Language.choices,
            "current_theme": theme,
            "current_format": course_format,
            "current_language": language,
            "filtered": bool(theme or course_format or language),
        },
    )


def _attach_themes(courses) -> None:
    """Set ``theme_list`` ({slug, name} by name) on each course: one query (taggit's prefetch costs far more)."""
    by_course = {course.pk: course for course in courses}
    for course in courses:
        course.theme_list = []
    rows = (
        TaggedItem.objects.filter(
            content_type__app_label=Course._meta.app_label,
            content_type__model=Course._meta.model_name,
            object_id__in=list(by_course),
        )
        .order_by("tag__name")
        .values_list("object_id", "tag__slug", "tag__name")
    )
    for object_id, slug, name in rows:
        by_course[object_id].theme_list.append({"slug": slug, "name": name})


def _catalogue_themes() -> list[dict]:
    """The themes of published courses, for the filter (kept per content version)."""
    tags = Tag.objects.filter(course__is_published=True).distinct().order_by("name").values("slug", "name")
    return list(tags)


STEP_COLUMNS = [field.attname for field in PreparationStep._meta.concrete_fields]


def _step_rows() -> ArraySubquery:
    """The course's preparation steps, in order, as JSON objects read with the course (one query less)."""
    steps = PreparationStep.objects.filter(course=OuterRef("pk")).order_by("order", "pk")
    return ArraySubquery(steps.values(row=JSONObject(**{name: name for name in STEP_COLUMNS})))


def _course_for(request, slug, queryset=None):
    """A published course, or for staff any course (shown with a preview banner)."""
    queryset = queryset if queryset is not None else Course.objects.all()
    if request.user.is_staff:
        return get_object_or_404(queryset, slug=slug)
    return get_object_or_404(queryset.published(), slug=slug)


@require_safe
def course_detail(request, slug):
    now = timezone.now()
    course = _course_for(request, slug, Course.objects.annotate(step_rows=_step_rows()).prefetch_related("themes"))
    sessions = list(course.sessions.all())
    by_id = {session.pk: session for session in sessions}
    steps = [PreparationStep(**row) for row in course.step_rows]
    for step in steps:
        if step.session_id in by_id:
            step.session = by_id[step.session_id]
        step.course = course
    upcoming = [session for session in sessions if session.start >= now]
    past = sorted((session for session in sessions if session.start < now), key=lambda s: s.start, reverse=True)
    total_minutes = sum(step.estimated_minutes for step in steps)
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "themes": list(course.themes.all()),
            "upcoming_sessions": upcoming,
            "past_sessions": past,
            "steps": steps,
            "total_minutes": total_minutes,
            "total_time": format_minutes(total_minutes),
            "related_stories": related_case_stories(course, limit=3),
            "json_ld": course_json_ld(course, upcoming, request),
            "is_preview": not course.is_published,
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
        return course_calendar(course, session, request)

    return derived_response(
        request,
        f"courses:session-ics:{slug}:{pk}",
        build,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}-session-{pk}.ics"'},
    )
