"""Page forms. They collect input; the model's own validation (run by the services) is the
one set of rules, so a form error and an API 400 say the same thing."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import (
    group_contacts,
    is_visible_account_id,
    is_visible_contact_id,
    visible_accounts,
)
from accounts.models import Account, Contact, ProfileSection, TeamMembership, YearlyFigures
from kam.forms import choice_field
from users.models import Role, User


def _people():
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = [
            "name", "legal_name", "external_id", "parent", "status", "tier", "owner",
            "industry", "customer_type", "country", "city", "region", "website",
            "individual_requirements", "product_lines",
        ]  # fmt: skip
        widgets = {"product_lines": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        parents = visible_accounts(user).order_by("name")
        if self.instance.pk:
            # Neither the account itself nor anything below it can become its parent.
            parents = parents.exclude(path__startswith=self.instance.path)
        choice_field(self, "parent").queryset = parents
        self.parent_hidden = bool(
            self.instance.parent_id and not is_visible_account_id(user, self.instance.parent_id)
        )
        if self.parent_hidden:
            # The group account is outside the user's scope: it is neither named nor offered,
            # and the service keeps it, so saving never moves the account out of its group.
            del self.fields["parent"]
        choice_field(self, "owner").queryset = _people().filter(
            role__in=[Role.KEY_ACCOUNT_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN]
        )
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("product_lines", None)
        return data


class ProfileSectionForm(forms.ModelForm):
    class Meta:
        model = ProfileSection
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMembership
        fields = ["user", "role", "can_edit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "user").queryset = _people()

    def _post_clean(self):
        pass


class FiguresForm(forms.ModelForm):
    """One year's figures. It shows what is stored for the year in its year field (empty for
    a year without figures, never the model's zeros), and `losses()` names the stored values
    a save would replace with zero or nothing, for the confirmation step of the page."""

    VALUES = (
        "revenue", "contribution_margin", "revenue_target", "margin_target",
        "revenue_potential",
    )  # fmt: skip

    class Meta:
        model = YearlyFigures
        fields = [
            "year", "revenue", "contribution_margin", "revenue_target", "margin_target",
            "revenue_potential",
        ]  # fmt: skip
        widgets = {"year": forms.NumberInput(attrs={"min": 2000, "max": 2100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the actuals of a year count as 0 (as in the ERP's PUT).
        self.fields["revenue"].required = False
        self.fields["contribution_margin"].required = False

    @classmethod
    def for_year(cls, *, account: Account, year: int | None) -> "FiguresForm":
        """The form showing the stored figures of `year`, or empty ones."""
        stored = account.figures.filter(year=year).first() if year else None
        initial: dict = dict.fromkeys(cls.VALUES)
        if stored is not None:
            initial |= {name: getattr(stored, name) for name in cls.VALUES}
        return cls(initial={"year": year, **initial})

    def losses(self, stored: YearlyFigures | None) -> list[tuple[str, Decimal, Decimal | None]]:
        """(label, stored value, new value) for each stored value that saving would replace
        with 0 or nothing."""
        if stored is None:
            return []
        found = []
        for name in self.VALUES:
            old, new = getattr(stored, name), self.cleaned_data.get(name)
            if old and not new:
                found.append((str(self.fields[name].label), old, new))
        return found

    def _post_clean(self):
        pass


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "first_name", "last_name", "job_title", "department", "email", "phone", "mobile",
            "preferred_language", "reports_to", "buying_role", "influence", "attitude",
            "relationship_strength", "relationship_owner", "legal_basis", "consent_on",
        ]  # fmt: skip
        widgets = {
            "relationship_strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "consent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, account: Account, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Managers come from the same account or group, as far as the user can see it.
        bosses = group_contacts(user, account).filter(is_active=True).select_related("account")
        if self.instance.pk:
            bosses = bosses.exclude(pk=self.instance.pk)
        choice_field(self, "reports_to").queryset = bosses.order_by("last_name")
        self.reports_to_hidden = bool(
            self.instance.reports_to_id
            and not is_visible_contact_id(user, self.instance.reports_to_id)
        )
        if self.reports_to_hidden:
            del self.fields["reports_to"]
        choice_field(self, "relationship_owner").queryset = _people()

    def _post_clean(self):
        pass


class ContactLeftForm(forms.Form):
    left_on = forms.DateField(
        label=_("Left the company on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ContactEraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the erasure"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the person's request of a date. Do not name the person here."),
        max_length=1000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that the person's data cannot be restored."), required=True
    )
