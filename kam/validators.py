"""Bounds that keep stored values inside what every computation can handle.

A date far outside business use (0001-01-01, 9999-12-31) is a typing mistake, and date
arithmetic near the ends of the calendar fails in Python and in the database. Fields that
take part in computed columns refuse such dates in model validation, so a form error and
an API 400 say the same thing.
"""

from collections.abc import Sized
from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)

SANE_DATE = [
    MinValueValidator(DATE_MIN, message=_("Enter a date between 1900 and 2200.")),
    MaxValueValidator(DATE_MAX, message=_("Enter a date between 1900 and 2200.")),
]


def is_sane_date(day: date | None) -> bool:
    return day is not None and DATE_MIN <= day <= DATE_MAX


# Bounded input: every free text and every list a user can grow has a limit (settings
# TEXT_MAX_CHARS and LIST_MAX_ITEMS), so that no editor can make a page or a folder
# render unbearably slow. Forms show the message at the field, the API answers 400.
@deconstructible
class BoundedText(MaxLengthValidator):
    """At most settings.TEXT_MAX_CHARS characters, read when it validates (a setting, so
    that the limit is not frozen into the migrations)."""

    def __init__(self) -> None:
        super().__init__(limit_value=lambda: settings.TEXT_MAX_CHARS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoundedText)

    def __hash__(self) -> int:
        return hash(BoundedText)


BOUNDED_TEXT = [BoundedText()]


def require_room(existing: int, *, adding: int = 1, field: str = NON_FIELD_ERRORS) -> None:
    """Refuse to grow a list past settings.LIST_MAX_ITEMS entries."""
    limit = settings.LIST_MAX_ITEMS
    if existing + adding > limit:
        raise ValidationError(
            {
                field: ValidationError(
                    _("This list is full: at most %(limit)s entries are allowed. Remove an "
                      "entry before adding another."),
                    code="list_full",
                    params={"limit": limit},
                )
            }
        )  # fmt: skip


def require_short_list(items: Sized, *, field: str) -> None:
    """Refuse a list (e.g. of participants) of more than settings.LIST_MAX_ITEMS entries."""
    limit = settings.LIST_MAX_ITEMS
    if len(items) > limit:
        raise ValidationError(
            {
                field: ValidationError(
                    _("At most %(limit)s entries are allowed (%(count)s given)."),
                    code="list_too_long",
                    params={"limit": limit, "count": len(items)},
                )
            }
        )
