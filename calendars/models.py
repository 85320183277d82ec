"""The secret address of each user's calendar feed."""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


def validate_time_zone(value: str) -> None:
    # Not `choices`: the list comes with the time zone database and would change the
    # migration with every update of it.
    if value not in TIME_ZONES:
        raise ValidationError(_("Choose a time zone from the list."))


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's feed: whoever knows `token` reads the user's calendar (read-only, as
    calendar programs cannot sign in). Renewing replaces the token, so the old address
    answers 404 from then on. The token is kept in plain text because the profile page
    shows the address again whenever the user wants to subscribe another device."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Times in the calendar feed and in invitations are given in this zone."),
    )
    renewed_at = models.DateTimeField(_("renewed"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
