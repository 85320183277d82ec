"""Page forms for coaching plans. They collect input; the services validate (model rules,
who may be a rep, the upload check), so a form error and an API 400 say the same thing."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from kam.fields import as_fields
from kam.forms import choice_field
from planning.coaching.fields import CoachingPlanFields, SessionFields
from planning.coaching.selectors import eligible_people
from planning.models import CoachingPlan, CoachingSession

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class CoachingPlanForm(forms.ModelForm):
    reps = PeopleField(
        label=_("Sales reps"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People on the account team who are briefed with this plan."),
    )

    class Meta:
        model = CoachingPlan
        fields = ["title", "reps", "measures", "topics", "dos_and_donts"]
        widgets = {
            "measures": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "dos_and_donts": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "dos_and_donts": _(
                "One per line: start a do with “+”, a don't with “-”. Shown on the briefing sheet."
            ),
        }

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "reps").queryset = eligible_people(account)

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def service_fields(self) -> CoachingPlanFields:
        """The plan's fields; the reps are an argument of their own."""
        return as_fields(CoachingPlanFields, self.cleaned_data, without=["reps"])


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty for a file, the file name is used."),
    )
    url = forms.CharField(
        label=_("Link"), required=False, widget=forms.URLInput(attrs={"placeholder": "https://"})
    )
    file = forms.FileField(
        label=_("or a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.doc,.xls"}),
    )


class SessionForm(forms.ModelForm):
    participants = PeopleField(
        label=_("Participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CoachingSession
        fields = ["held_at", "participants", "notes"]
        widgets = {"held_at": DATETIME, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "participants").queryset = eligible_people(account)
        cast(forms.DateTimeField, self.fields["held_at"]).input_formats = [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ]

    def _post_clean(self):
        pass

    def service_fields(self) -> SessionFields:
        """The session's fields; the participants are an argument of their own."""
        return as_fields(SessionFields, self.cleaned_data, without=["participants"])
