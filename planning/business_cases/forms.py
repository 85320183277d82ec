"""Page forms for business cases. They collect input; the service validates the model."""

from django import forms

from accounts.models import Account
from deals.models import Opportunity
from kam.fields import as_fields
from kam.forms import choice_field
from planning.business_cases.fields import BusinessCaseFields, ScenarioFields
from planning.models import BusinessCase, Scenario, default_discount_rate


class BusinessCaseForm(forms.ModelForm):
    class Meta:
        model = BusinessCase
        fields = ["title", "opportunity", "horizon_years", "discount_rate_pct"]
        widgets = {
            "horizon_years": forms.NumberInput(attrs={"min": 1, "max": 15}),
            "discount_rate_pct": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "any"}),
        }

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty: the installation's default rate.
        self.fields["discount_rate_pct"].required = False
        choice_field(self, "opportunity").queryset = Opportunity.objects.filter(
            account=account
        ).order_by("-created_at", "pk")

    def clean_discount_rate_pct(self):
        rate = self.cleaned_data.get("discount_rate_pct")
        return default_discount_rate() if rate is None else rate

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def service_fields(self) -> BusinessCaseFields:
        return as_fields(BusinessCaseFields, self.cleaned_data)


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = [
            "name", "yearly_volume", "unit_price", "process_cost", "price_change_pct",
            "volume_change_pct", "one_off_cost", "yearly_saving", "margin_pct",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[1:]:
            self.fields[name].widget.attrs.setdefault("step", "any")

    def _post_clean(self):
        pass

    def service_fields(self) -> ScenarioFields:
        return as_fields(ScenarioFields, self.cleaned_data)
