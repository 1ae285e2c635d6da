from django import template

register = template.Library()


@register.simple_tag
def upcoming_course_sessions():
    """Home page slot; filled in by the courses app. Renders nothing while empty."""
    return ""
