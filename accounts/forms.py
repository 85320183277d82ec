"""Page forms. They collect input; the model's own validation (run by the services) is the
one set of rules, so a form error and an API 400 say the same thing."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import (
    group_contacts,
    is_visible_account_id,
    is_visible_contact_id,
    visible_accounts,
)
from accounts.fields import AccountFields, ContactFields, FiguresFields, TeamMemberFields
from accounts.models import Account, Contact, ProfileSection, TeamMembership, YearlyFigures
from kam.concurrency import VersionedForm
from kam.fields import as_fields
from kam.forms import choice_field
from users.models import Role, User


def _people():
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


class AccountForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Account
        fields = [
            "name", "legal_name", "external_id", "vat_id", "parent", "status", "tier", "owner",
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

    def service_fields(self) -> AccountFields:
        return as_fields(AccountFields, self.cleaned_data, without=["product_lines"])


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

    def service_fields(self) -> TeamMemberFields:
        return as_fields(TeamMemberFields, self.cleaned_data)


def _same_amount(raw: str, stored: Decimal | None) -> bool:
    if stored is None:
        return False
    try:
        return Decimal(raw) == stored
    except InvalidOperation:
        return False


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

    ACTUALS = ("revenue", "contribution_margin")

    def __init__(self, *args, shown_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the actuals are not known (not 0): only targets and potential are
        # saved. Revenue and margin come together.
        self.fields["revenue"].required = False
        self.fields["contribution_margin"].required = False
        # The year whose stored values the form shows; a reload for another year keeps
        # what differs from them (typed by the user).
        self.shown_year = shown_year

    def clean(self):
        data = super().clean()
        revenue, margin = data.get("revenue"), data.get("contribution_margin")
        if (revenue is None) != (margin is None) and "revenue" not in self.errors:
            missing = "revenue" if revenue is None else "contribution_margin"
            self.add_error(
                missing,
                _("Enter revenue and contribution margin together; leave both empty while"
                  " the actuals are not known."),
            )  # fmt: skip
        return data

    def service_fields(self) -> FiguresFields:
        """The values of the year in the year field (`cleaned_data["year"]`)."""
        return as_fields(FiguresFields, self.cleaned_data, without=["year"])

    @property
    def actuals_known(self) -> bool:
        return self.cleaned_data.get("revenue") is not None

    @classmethod
    def for_year(
        cls,
        *,
        account: Account,
        year: int | None,
        typed: Mapping[str, str] | None = None,
        shown_year: int | None = None,
    ) -> "FiguresForm":
        """The form showing the stored figures of `year`, or empty ones. `typed` are the
        values in the form when its year changed from `shown_year`: those that differ from
        what is stored for `shown_year` were typed and are kept."""
        stored = account.figures.filter(year=year).first() if year else None
        initial: dict = dict.fromkeys(cls.VALUES)
        if stored is not None:
            initial |= {name: getattr(stored, name) for name in cls.VALUES}
        if typed:
            shown = account.figures.filter(year=shown_year).first() if shown_year else None
            for name in cls.VALUES:
                raw = (typed.get(name) or "").strip()
                if raw and not _same_amount(raw, getattr(shown, name, None)):
                    initial[name] = raw
        return cls(initial={"year": year, **initial}, shown_year=year)

    def losses(self, stored: YearlyFigures | None) -> list[tuple[str, Decimal, Decimal | None]]:
        """(label, stored value, new value) for each stored value that saving would replace
        with 0 or nothing."""
        if stored is None:
            return []
        found = []
        kept = () if self.actuals_known else self.ACTUALS  # not known: the stored ones stay
        for name in (name for name in self.VALUES if name not in kept):
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

    def service_fields(self) -> ContactFields:
        return as_fields(ContactFields, self.cleaned_data)


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
