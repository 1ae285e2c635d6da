"""Durations and choice labels as course pages show them."""

from django.utils.translation import gettext_lazy as _


def format_minutes(total: int) -> str:
    """45 -> "45 min", 60 -> "1 h", 210 -> "3 h 30 min"."""
    hours, minutes = divmod(max(int(total or 0), 0), 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


def choice_label(choices, value) -> str:
    """The label of a TextChoices value, without get_FOO_display()'s translation of every choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
