from django import forms
from django.utils.translation import gettext_lazy as _

from calendars.models import TIME_ZONES


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("time zone"),
        choices=[(name, name) for name in TIME_ZONES],
        help_text=_("Times in the calendar feed and in invitations are given in this zone."),
    )
