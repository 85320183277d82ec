"""Bounds that keep stored values inside what every computation can handle.

A date far outside business use (0001-01-01, 9999-12-31) is a typing mistake, and date
arithmetic near the ends of the calendar fails in Python and in the database. Fields that
take part in computed columns refuse such dates in model validation, so a form error and
an API 400 say the same thing.
"""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)

SANE_DATE = [
    MinValueValidator(DATE_MIN, message=_("Enter a date between 1900 and 2200.")),
    MaxValueValidator(DATE_MAX, message=_("Enter a date between 1900 and 2200.")),
]


def is_sane_date(day: date | None) -> bool:
    return day is not None and DATE_MIN <= day <= DATE_MAX
