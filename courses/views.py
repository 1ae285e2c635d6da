from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from greenjobs.structured import calendar_response

from .models import Course, CourseFormat, CourseSession, Language, format_minutes
from .selectors import related_case_stories
from .structured import course_calendar, course_json_ld

PAGE_SIZE = 24


@require_safe
def course_list(request):
    """The catalogue: courses with an upcoming session first, soonest first, then the rest by title."""
    now = timezone.now()
    published = Course.objects.published()
    courses = published.catalogue(now)

    themes = list(Tag.objects.filter(course__is_published=True).distinct().order_by("name"))
    theme = next((tag for tag in themes if tag.slug == request.GET.get("theme")), None)
    if theme:
        courses = courses.filter(themes=theme)
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

    # One query for the list; the paginator counts it in Python.
    paginator = Paginator(list(courses), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    prefetch_related_objects(page_obj.object_list, "themes", Course.upcoming_sessions_prefetch(now))

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


def _course_for(request, slug, queryset=None):
    """A published course, or for staff any course (shown with a preview banner)."""
    queryset = queryset if queryset is not None else Course.objects.all()
    if request.user.is_staff:
        return get_object_or_404(queryset, slug=slug)
    return get_object_or_404(queryset.published(), slug=slug)


@require_safe
def course_detail(request, slug):
    now = timezone.now()
    course = _course_for(request, slug, Course.objects.prefetch_related("themes"))
    sessions = list(course.sessions.all())
    by_id = {session.pk: session for session in sessions}
    steps = list(course.steps.all())
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
    course = get_object_or_404(Course.objects.published(), slug=slug)
    try:
        session = course.sessions.get(pk=pk)
    except CourseSession.DoesNotExist as error:
        raise Http404 from error
    session.course = course
    return calendar_response(course_calendar(course, session, request), f"{course.slug}-session-{session.pk}.ics")
