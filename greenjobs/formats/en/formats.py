# The site's English dates: day, month, year (the ILO's usage), not Django's American default.
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
