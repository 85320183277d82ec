"""Page forms. They collect input; the model validation the services run is the one set of
rules, so a form error and an API 400 say the same thing."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import editable_accounts, visible_accounts
from accounts.models import Account, ProductLine
from deals.fields import CompetitorLinkFields, OpportunityEditFields, OpportunityFields
from deals.models import Competitor, Opportunity, OpportunityCompetitor, Stage
from kam.concurrency import VersionedForm
from kam.fields import as_fields
from kam.forms import choice_field
from users.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StageField(forms.ModelChoiceField):
    """A stage, shown by its label."""

    def label_from_instance(self, obj: Stage) -> str:
        return obj.label


class OpportunityForm(VersionedForm, forms.ModelForm):
    probability = forms.IntegerField(
        label=_("Probability (%)"),
        required=False,
        help_text=_("Left empty, the stage's default applies."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100}),
    )

    class Meta:
        model = Opportunity
        fields = [
            "account", "title", "description", "stage", "probability", "value",
            "expected_margin", "expected_close_date", "owner", "product_lines",
            "next_follow_up_on", "next_follow_up_action", "close_reason",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "close_reason": forms.Textarea(attrs={"rows": 2}),
            "product_lines": forms.CheckboxSelectMultiple,
            "expected_close_date": DATE,
            "next_follow_up_on": DATE,
        }
        field_classes = {"stage": StageField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = editable_accounts(user)
        if self.instance.pk:
            # The current account stays selectable even if the user may not change it.
            accounts = Account.objects.filter(
                Q(pk__in=accounts.values("pk")) | Q(pk=self.instance.account_id)
            )
        choice_field(self, "account").queryset = accounts.order_by("name")
        choice_field(self, "stage").queryset = Stage.objects.order_by("order", "pk")
        self.fields["stage"].required = False
        choice_field(self, "owner").queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["owner"].required = False
        lines = ProductLine.objects.filter(active=True)
        if self.instance.pk:
            lines = ProductLine.objects.filter(
                Q(active=True) | Q(pk__in=self.instance.product_lines.values("pk"))
            )
        choice_field(self, "product_lines").queryset = lines.order_by("name")
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk

    def _post_clean(self):
        # Model validation runs in the service, inside its transaction.
        pass

    def changed_fields(self, fields: OpportunityEditFields) -> OpportunityEditFields:
        """The changed fields for opportunity_update; an untouched probability follows a
        stage change (None: the new stage's default)."""
        if "stage" in fields and "probability" not in fields:
            fields["probability"] = None
        for name in ("description", "next_follow_up_action", "close_reason"):
            if name in fields:
                fields[name] = fields[name] or ""
        return fields

    def service_fields(self) -> OpportunityFields:
        """The fields besides account and product lines (arguments of their own)."""
        data = dict(self.cleaned_data)
        data.pop("product_lines", None)
        data.pop("account", None)
        if self.instance.pk and "probability" not in self.changed_data:
            # An untouched probability follows a stage change (None: the stage's default).
            data["probability"] = (
                None if "stage" in self.changed_data else self.instance.probability
            )
        for name in ("description", "next_follow_up_action", "close_reason"):
            data[name] = data.get(name) or ""
        return as_fields(OpportunityFields, data)


class MoveForm(forms.Form):
    stage = StageField(
        queryset=Stage.objects.order_by("order", "pk"), label=_("Stage"), empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason won or lost"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lost_to = forms.ModelChoiceField(
        queryset=Competitor.objects.order_by("name"),
        label=_("Lost to"),
        required=False,
        help_text=_("For a lost deal: the competitor who won it."),
    )


class CompetitorLinkForm(forms.Form):
    competitor = forms.ModelChoiceField(
        queryset=Competitor.objects.order_by("name"),
        label=_("Competitor"),
        required=False,
        empty_label=_("– new competitor –"),
    )
    competitor_name = forms.CharField(
        label=_("New competitor"),
        required=False,
        max_length=150,
        help_text=_("Not in the register yet? Enter the name: it is added."),
    )
    position = forms.ChoiceField(
        label=_("Position"),
        choices=OpportunityCompetitor.Position.choices,
        initial=OpportunityCompetitor.Position.UNKNOWN,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def service_fields(self) -> CompetitorLinkFields:
        return as_fields(CompetitorLinkFields, self.cleaned_data)


class WinLossFilterForm(forms.Form):
    """The period and filters of "Win/loss by competitor" (page and API alike). Regions
    and industries offered are those of the accounts the user sees."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    competitor = forms.ModelChoiceField(
        label=_("Competitor"), queryset=Competitor.objects.order_by("name"), required=False
    )
    region = forms.ChoiceField(label=_("Region (sales team)"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = visible_accounts(user).order_by()
        for name in ("region", "industry"):
            values = sorted(
                set(accounts.exclude(**{name: ""}).values_list(name, flat=True).distinct())
            )
            self.fields[name].choices = [("", _("All")), *((v, v) for v in values)]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or data["end"] - timedelta(days=365)
        if data["start"] > data["end"]:
            self.add_error("start", _("The start comes after the end."))
        return data

    def filters(self) -> dict:
        """The keyword arguments of deals.win_loss.win_loss (a valid form)."""
        data = self.cleaned_data
        return {
            "start": data["start"],
            "end": data["end"],
            "competitor_id": data["competitor"].pk if data.get("competitor") else None,
            "region": data.get("region") or "",
            "industry": data.get("industry") or "",
        }
