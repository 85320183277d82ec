"""Page forms. They collect input; the model's validation, run by the services, is the one
set of rules, so a form error and an API 400 say the same thing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import editable_accounts
from contracts.fields import ContractFields
from contracts.models import Contract
from kam.concurrency import VersionedForm
from kam.fields import as_fields
from kam.forms import choice_field
from kam.uploads import max_upload_bytes
from users.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "account", "number", "title", "kind", "status", "start_on", "end_on",
            "notice_period_months", "auto_renewal", "renewal_term_months", "annual_value",
            "prices_and_terms", "terminated_on", "owner",
        ]  # fmt: skip
        widgets = {
            "start_on": DATE,
            "end_on": DATE,
            "terminated_on": DATE,
            "notice_period_months": forms.NumberInput(attrs={"min": 0, "max": 60}),
            "renewal_term_months": forms.NumberInput(attrs={"min": 1, "max": 120}),
            "prices_and_terms": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A contract stays with its account.
            del self.fields["account"]
        else:
            choice_field(self, "account").queryset = editable_accounts(user).order_by("name")
        choice_field(self, "owner").queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk
        self.fields["annual_value"].widget.attrs.setdefault("min", 0)

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def service_fields(self) -> ContractFields:
        """The fields besides the account (an argument of its own)."""
        return as_fields(ContractFields, self.cleaned_data, without=["account"])


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.doc,.xls"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = max_upload_bytes() // (1024 * 1024)
        self.fields["file"].help_text = _(
            "PDF, Word, Excel or PowerPoint, at most %(size)s MB."
        ) % {"size": size}
