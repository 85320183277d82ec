"""Page forms of the account plan. They collect input; the services validate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kam.concurrency import VersionedForm
from kam.fields import as_fields
from planning.account_plan.fields import AccountPlanFields
from planning.account_plan.services import CONTENT_FIELDS, SWOT_FIELDS, SWOT_LABELS
from planning.models import AccountPlan


class PlanForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = AccountPlan
        fields = list(CONTENT_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in CONTENT_FIELDS}
        help_texts = {name: _("One item per line.") for name in SWOT_FIELDS}
        labels = SWOT_LABELS

    def __init__(self, *args, prefix_id: str = "plan", **kwargs):
        super().__init__(*args, **kwargs)
        # The panel and the plan page can show the form; ids stay unique per plan.
        self.auto_id = f"{prefix_id}-%s"

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def service_fields(self) -> AccountPlanFields:
        return as_fields(AccountPlanFields, self.cleaned_data)


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AccountPlan.Status.choices)
