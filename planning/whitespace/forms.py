"""Page forms for the whitespace matrix; the service validates the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from deals.models import Competitor, Opportunity
from kam.fields import as_fields
from kam.forms import choice_field
from planning.models import BusinessUnit, WhitespaceCell
from planning.whitespace.fields import CellFields


class BusinessUnitForm(forms.ModelForm):
    class Meta:
        model = BusinessUnit
        fields = ["name"]

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass


class CellForm(forms.ModelForm):
    class Meta:
        model = WhitespaceCell
        fields = ["state", "revenue", "potential", "opportunity", "competitor", "notes"]
        help_texts = {
            "revenue": _("For sold cells."),
            "potential": _("What is still to win here; counts in the open potential."),
            "opportunity": _("Link the opportunity started for this unit and product line."),
        }

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "opportunity").queryset = Opportunity.objects.filter(
            account=account
        ).order_by("-created_at", "pk")
        choice_field(self, "competitor").queryset = Competitor.objects.order_by("name")

    def _post_clean(self):
        pass

    def service_fields(self) -> CellFields:
        return as_fields(CellFields, self.cleaned_data)
