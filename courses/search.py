"""How a course is indexed for the site search (registered in ``CoursesConfig.ready``)."""

from greenjobs.core.searchtext import plain

KIND = "course"


def course_fields(course) -> dict | None:
    """The course's search document, or None when it is not public."""
    if not course.is_public:
        return None
    return {
        "kind": KIND,
        "title": course.title,
        "summary": course.summary,
        "body": plain(course.description, course.learning_objectives, course.who_should_attend, course.prerequisites),
        "date": course.updated,
    }
