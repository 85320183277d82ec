"""Page forms. They collect input; the services validate (one set of rules for page and
API)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import group_contacts
from accounts.models import Account
from activities.models import Activity
from kam.forms import choice_field
from users.models import User


def _people():
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind", "occurred_at", "duration_minutes", "location", "subject", "contacts",
            "users", "notes", "outcome", "next_step", "next_step_owner", "next_step_due_on",
        ]  # fmt: skip
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "step": 5}),
            "contacts": forms.CheckboxSelectMultiple,
            "users": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "next_step_due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "next_step": _("Optional. Becomes a follow-up on its owner's “My work” page."),
        }

    def __init__(self, *args, account: Account, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Customer participants: active contacts of the account's whole group that the
        # user can see.
        choice_field(self, "contacts").queryset = (
            group_contacts(user, account)
            .filter(is_active=True)
            .select_related("account")
            .order_by("last_name", "first_name")
        )
        # Django's documented way to label the choices: replace the method on the instance.
        choice_field(self, "contacts").label_from_instance = lambda c: (  # type: ignore[method-assign,assignment]
            str(c) if c.account_id == account.pk else f"{c} ({c.account.name})"
        )
        choice_field(self, "users").queryset = _people()
        choice_field(self, "next_step_owner").queryset = _people()
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("occurred_at", now)
            self.initial.setdefault("users", [user.pk])
            self.initial.setdefault("next_step_owner", user.pk)

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def clean(self):
        cleaned = super().clean()
        # The owner is preselected for convenience; without a next step it means nothing.
        if not (cleaned.get("next_step") or "").strip() and not cleaned.get("next_step_due_on"):
            cleaned["next_step_owner"] = None
        return cleaned
