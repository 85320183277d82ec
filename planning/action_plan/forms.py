"""Page forms of the action plan. They collect input; the services validate (the one set of
rules), so a form error and an API 400 say the same thing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kam.concurrency import VersionedForm
from kam.fields import as_fields
from kam.forms import UserField, UserTypeahead
from planning.action_plan.fields import ActionFields, ObjectiveFields
from planning.models import Action, Objective
from users.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _owner_field() -> UserField:
    # A type-ahead, not a <select> of every active user: the section holds three owner
    # fields per objective, and 600 options each made it a third of a megabyte.
    return UserField(
        label=_("Owner"), required=False, widget=UserTypeahead("accounts:user_options", scope="all")
    )


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["kind", "title", "year", "target_value", "owner", "due_on"]
        widgets = {"due_on": DATE, "year": forms.NumberInput(attrs={"min": 2000, "max": 2100})}

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("prefix", "objective")
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field()  # empty: the service makes the author the owner
        if not self.is_bound:
            year = timezone.localdate().year
            self.fields["owner"].initial = user
            self.fields["year"].initial = year
            self.fields["due_on"].initial = f"{year}-12-31"

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def service_fields(self) -> ObjectiveFields:
        """The objective's fields; the year is an argument of its own, an empty owner is
        left out (the author)."""
        without = ["year"] if self.cleaned_data.get("owner") else ["year", "owner"]
        return as_fields(ObjectiveFields, self.cleaned_data, without=without)


class ObjectiveEditForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "owner", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field()
        self.fields["owner"].required = True
        if not self.is_bound and self.instance.owner_id:
            self.initial["owner"] = self.instance.owner.username

    def _post_clean(self):
        pass


class AdjustForm(forms.Form):
    """A new target value or due date, with the reason the plan keeps."""

    target_value = forms.DecimalField(
        label=_("Target value"), required=False, max_digits=16, decimal_places=2
    )
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,  # the service says why it is needed
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "owner", "due_on", "customer_facing"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field()  # empty: the service makes the author the owner
        if not self.is_bound:
            self.fields["owner"].initial = user

    def _post_clean(self):
        pass

    def service_fields(self) -> ActionFields:
        """The action's fields; an empty owner is left out (the author)."""
        without = [] if self.cleaned_data.get("owner") else ["owner"]
        return as_fields(ActionFields, self.cleaned_data, without=without)


class PlansFilterForm(forms.Form):
    owner = UserField(
        label=_("Owner"),
        required=False,
        widget=UserTypeahead("accounts:user_options", scope="all"),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year
