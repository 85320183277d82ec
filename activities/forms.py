"""Page forms. They collect input; the services validate (one set of rules for page and
API). Account, customer participants and our participants are picked by type-ahead
(templates/activities/partials/picker.html); the chosen ones travel as hidden inputs."""

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import editable_accounts, group_contacts, visible_contacts
from accounts.models import Account, Contact
from activities.fields import ActivityFields, ActivityLogFields, FollowUpFields
from activities.models import Activity, FollowUp
from kam.fields import as_fields
from kam.forms import UserField, UserTypeahead, choice_field
from users.models import User


def _people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


def _owner_widget() -> UserTypeahead:
    return UserTypeahead("accounts:user_options", scope="all")


def _posted_ids(data, name: str) -> list[int]:
    return [int(v) for v in data.getlist(name) if str(v).isdigit()]


_ON_THEIR_OWN = ("account", "contacts", "users")


class ActivityForm(forms.ModelForm):
    """Log a contact ("Log contact" dialog) or correct one (`instance`: the account and the
    next step are fixed then). `account` presets the account of a new activity; the user
    may pick another one among the accounts they may change."""

    account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        label=_("Account"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the account."),
            "invalid_choice": _("Choose an account you may change."),
        },
    )
    next_step_owner = UserField(label=_("next step owner"), required=False, widget=_owner_widget())

    class Meta:
        model = Activity
        fields = [
            "kind", "occurred_at", "duration_minutes", "location", "subject", "contacts",
            "users", "notes", "outcome", "next_step", "next_step_owner", "next_step_due_on",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "step": 5}),
            "subject": forms.TextInput(attrs={"autofocus": True}),
            "contacts": forms.MultipleHiddenInput,
            "users": forms.MultipleHiddenInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "next_step_due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "next_step": _("Optional. Becomes a follow-up on its owner's “My work” page."),
        }

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.editing = self.instance.pk is not None
        # No empty choice among the radios.
        cast(forms.ChoiceField, self.fields["kind"]).choices = Activity.Kind.choices
        choice_field(self, "users").queryset = _people()
        if self.editing:
            for name in ("account", "next_step", "next_step_owner", "next_step_due_on"):
                del self.fields[name]
            self.chosen_account: Account | None = self.instance.account
            # Only the participants the user can see are shown (and sent back); the service
            # keeps the others.
            self.initial["contacts"] = list(
                visible_contacts(user).filter(activities=self.instance).values_list("pk", flat=True)
            )
        else:
            choice_field(self, "account").queryset = editable_accounts(user)
            self.chosen_account = self._posted_account() if self.is_bound else account
            if not self.is_bound:
                now = timezone.localtime().replace(second=0, microsecond=0)
                self.initial.setdefault("occurred_at", now)
                self.initial.setdefault("users", [user.pk])
                self.initial.setdefault("next_step_owner", user)
                if account is not None:
                    self.initial["account"] = account.pk
        # Customer participants: contacts of the account's whole group the user can see
        # (the same choices the API accepts). Without an account yet nothing can be chosen.
        chosen = self.chosen_account
        choice_field(self, "contacts").queryset = (
            group_contacts(user, chosen) if chosen else Contact.objects.none()
        )

    def _posted_account(self) -> Account | None:
        ids = _posted_ids(self.data, self.add_prefix("account"))
        if not ids:
            return None
        return editable_accounts(self.user).filter(pk=ids[0]).first()

    def chosen_accounts(self) -> list[Account]:
        return [self.chosen_account] if self.chosen_account else []

    def chosen_contacts(self) -> list[Contact]:
        """The chosen participants for the picker's chips: within the choices only, so a
        name outside the user's scope is never shown (one query)."""
        if self.is_bound:
            ids = _posted_ids(self.data, self.add_prefix("contacts"))
        else:
            ids = [getattr(v, "pk", v) for v in self.initial.get("contacts", [])]
        if not ids or self.chosen_account is None:
            return []
        choices = choice_field(self, "contacts").queryset
        if choices is None:
            return []
        contacts = choices.filter(pk__in=ids).select_related("account")
        return list(contacts.order_by("last_name", "first_name", "pk"))

    def chosen_users(self) -> list[User]:
        if self.is_bound:
            ids = _posted_ids(self.data, self.add_prefix("users"))
        else:
            ids = [getattr(v, "pk", v) for v in self.initial.get("users", [])]
        return list(_people().filter(pk__in=ids)) if ids else []

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def clean(self):
        cleaned = super().clean()
        # The owner is preselected for convenience; without a next step it means nothing.
        if (
            not self.editing
            and not (cleaned.get("next_step") or "").strip()
            and not cleaned.get("next_step_due_on")
        ):
            cleaned["next_step_owner"] = None
        return cleaned

    def log_fields(self) -> ActivityLogFields:
        """A new activity: what activity_log takes besides account, contacts and users."""
        return as_fields(ActivityLogFields, self.cleaned_data, without=_ON_THEIR_OWN)

    def service_fields(self) -> ActivityFields:
        """A logged activity (the form without account and next step): what
        activity_update takes besides contacts and users."""
        return as_fields(ActivityFields, self.cleaned_data, without=_ON_THEIR_OWN)


class FollowUpForm(forms.ModelForm):
    """A follow-up on its own ("New follow-up"): account, title, owner, due date, notes."""

    account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        label=_("Account"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the account."),
            "invalid_choice": _("Choose an account you may change."),
        },
    )
    owner = UserField(label=_("owner"), widget=_owner_widget())

    class Meta:
        model = FollowUp
        fields = ["title", "owner", "due_on", "notes"]
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "account").queryset = editable_accounts(user)
        self.chosen_account = account
        if self.is_bound:
            ids = _posted_ids(self.data, self.add_prefix("account"))
            self.chosen_account = editable_accounts(user).filter(pk=ids[0]).first() if ids else None
        else:
            self.initial.setdefault("owner", user)
            self.initial.setdefault("due_on", timezone.localdate())
            if account is not None:
                self.initial["account"] = account.pk

    def chosen_accounts(self) -> list[Account]:
        return [self.chosen_account] if self.chosen_account else []

    def _post_clean(self):
        pass

    def service_fields(self) -> FollowUpFields:
        return as_fields(FollowUpFields, self.cleaned_data, without=["account"])


class FollowUpPlanForm(forms.ModelForm):
    """Reschedule or reassign an open follow-up in place."""

    owner = UserField(label=_("owner"), widget=_owner_widget())

    class Meta:
        model = FollowUp
        fields = ["due_on", "owner"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["owner"] = self.instance.owner

    def _post_clean(self):
        pass
