from django import template

register = template.Library()


@register.simple_tag
def home_events():
    """Home page slot; filled in by the events app. Renders nothing while empty."""
    return ""
