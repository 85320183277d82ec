"""Page forms. They collect input; the model validation that the services run is the one
set of rules, so a form error and an API 400 say the same thing."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import editable_accounts, group_contacts
from accounts.models import Account
from customer_care.fields import IssueFields, SurveyFields
from customer_care.models import CustomerIssue, Department, Survey
from kam.fields import as_fields
from kam.forms import UserField, UserTypeahead, choice_field
from users.models import User

DATE = {"type": "date"}


class IssueForm(forms.ModelForm):
    """Create or change an issue. `account` is offered only where the page does not fix it
    (the issue list's "New issue"); status and resolution have their own form."""

    account = forms.ModelChoiceField(queryset=Account.objects.none(), label=_("Account"))
    # A type-ahead, not a <select> of every user (600 options on every issues tab).
    owner = UserField(
        label=_("Owner"),
        required=False,
        widget=UserTypeahead("accounts:user_options", scope="all"),
    )

    class Meta:
        model = CustomerIssue
        fields = [
            "title", "kind", "severity", "department", "owner", "due_on", "escalated",
            "description",
        ]  # fmt: skip
        widgets = {
            "due_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if account is not None or self.instance.pk:
            del self.fields["account"]
        else:
            choice_field(self, "account").queryset = editable_accounts(user).order_by("name")
            self.order_fields(["account"])
        departments = Department.objects.filter(active=True)
        if self.instance.pk:
            departments = Department.objects.filter(
                Q(active=True) | Q(pk=self.instance.department_id)
            )
        choice_field(self, "department").queryset = departments
        self.fields["due_on"].required = False
        # Left empty: the user who opens the issue (or, when editing, the current owner).
        if self.instance.pk:
            if not self.is_bound and self.instance.owner_id:
                self.initial["owner"] = self.instance.owner.username
        else:
            self.fields["owner"].initial = user.username
            default = departments.filter(key="customer_service").first()
            if default:
                self.fields["department"].initial = default.pk

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def service_fields(self) -> IssueFields:
        """The fields besides the account (an argument of its own); an owner left empty
        is not given."""
        data = dict(self.cleaned_data)
        data.pop("account", None)
        if data.get("owner") is None:
            data.pop("owner", None)
        return as_fields(IssueFields, data)


class IssueStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CustomerIssue.Status.choices, label=_("Status"))
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to resolve or close the issue."),
    )


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["surveyed_on", "method", "contact", "nps", "csat", "comment"]
        widgets = {
            "surveyed_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "nps": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "csat": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account: Account, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Contacts of the account and of its whole group (a parent's buyer may answer), as
        # far as the user can see them.
        choice_field(self, "contact").queryset = (
            group_contacts(user, account)
            .filter(is_active=True)
            .select_related("account")
            .order_by("last_name", "first_name")
        )
        self.fields["surveyed_on"].required = False
        self.fields["surveyed_on"].initial = timezone.localdate()

    def _post_clean(self):
        pass

    def service_fields(self) -> SurveyFields:
        return as_fields(SurveyFields, self.cleaned_data)
