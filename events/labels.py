"""Dates as event lists show them."""

import datetime as dt

from greenjobs.core.labels import formatted


def day_label(day: dt.date) -> str:
    """ "Monday 28 April 2014" in the active language."""
    return formatted(day, "l j F Y")
