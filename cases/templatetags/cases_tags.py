from django import template

register = template.Library()


@register.simple_tag
def latest_cases():
    """Home page slot; filled in by the cases app. Renders nothing while empty."""
    return ""
