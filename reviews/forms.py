from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import group_contacts
from accounts.models import Account
from kam.concurrency import VersionedForm
from kam.fields import as_fields
from reviews.fields import BrandingFields
from reviews.models import (
    FOLDER_LANGUAGES,
    AgendaItem,
    AnnualReview,
    JointProject,
    MarketFigure,
    Topic,
)
from users.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people():
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "pk")


def _group_contacts(user: User, account: Account):
    """The active contacts of the account and its subsidiaries that the user may see."""
    return (
        group_contacts(user, account)
        .filter(is_active=True, account__path__startswith=account.path)
        .select_related("account")
        .order_by("last_name", "first_name", "pk")
    )


class ReviewCreateForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    meeting_on = forms.DateField(label=_("Meeting date"), required=False, widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language of the folder"),
        required=False,
        choices=[("", _("The main contact's language")), *FOLDER_LANGUAGES],
    )
    backdate_reason = forms.CharField(
        label=_("Reason for a date in a closed year"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["year"].initial = timezone.localdate().year


class ReviewForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = AnnualReview
        fields = [
            "meeting_on", "place", "status", "language", "backdate_reason",
            "our_participants", "customer_participants", "minutes", "next_review_on",
        ]  # fmt: skip
        widgets = {
            "meeting_on": DATE,
            "next_review_on": DATE,
            "backdate_reason": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = cast(forms.ModelMultipleChoiceField, self.fields["our_participants"])
        people.queryset = _people()
        contacts = cast(forms.ModelMultipleChoiceField, self.fields["customer_participants"])
        contacts.queryset = _group_contacts(user, self.instance.account)


class SectionForm(VersionedForm, forms.Form):
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "duration_minutes", "presenter"]


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "goal", "owner", "customer_side", "renegotiate"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()


class MarketFigureForm(forms.ModelForm):
    class Meta:
        model = MarketFigure
        fields = ["topic", "figure", "source", "year"]


class ProjectForm(forms.ModelForm):
    class Meta:
        model = JointProject
        fields = ["area", "title", "goal", "target"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2})}


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("Agreement"), max_length=250)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()


class RenderForm(forms.Form):
    internal = forms.BooleanField(label=_("Internal version"), required=False)


class BrandingForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    primary_colour = forms.CharField(
        label=_("Main colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("SVG or PNG. Without a logo the cover shows the company name."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def service_fields(self) -> BrandingFields:
        return as_fields(BrandingFields, self.cleaned_data)
