"""API shapes of the action plan (objectives and actions): serializers only parse and
shape (see views.py)."""

from functools import cached_property
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account
from kam.api.serializers import ParseOnlyModelSerializer, UserIdField, read_only_money
from kam.fields import as_fields
from planning.action_plan import selectors
from planning.action_plan.fields import ActionFields, ObjectiveFields
from planning.models import Action, Objective, ObjectiveAdjustment


class ForecastSerializer(serializers.Serializer):
    actual = read_only_money(
        _("actual revenue of the year (the account and its subsidiaries)"), allow_null=False
    )
    won_not_invoiced = read_only_money(
        _("won deals of the year closed after the moment the actuals stand at"), allow_null=False
    )
    weighted_pipeline = read_only_money(
        _("weighted open pipeline closing in the year"), allow_null=False
    )
    days_to_come = serializers.IntegerField(
        read_only=True, label=_("days of the year not yet covered by actuals")
    )
    run_rate = read_only_money(
        _("run-rate for the days still to come (setting FORECAST_RUN_RATE)"), allow_null=False
    )
    total = read_only_money(
        _("forecast (actual + won not invoiced + weighted pipeline + run-rate)"),
        allow_null=False,
    )
    gap = read_only_money(_("gap to target (0 when reached)"), allow_null=False)
    pipeline_needed = read_only_money(
        _("open pipeline still needed at the average probability of the open deals"),
        allow_null=False,
    )
    target = read_only_money(
        _("target compared with: the group's (the objective's target plus the subsidiaries'"
          " revenue targets) for a group, else the account's own"),
        allow_null=False,
    )  # fmt: skip
    target_scope = serializers.ChoiceField(
        choices=["group", "own"], read_only=True, label=_("whose target and revenue")
    )
    group_members = serializers.IntegerField(read_only=True)
    percent = read_only_money(_("forecast against target (%)"), decimal_places=1)
    verdict = serializers.ChoiceField(
        choices=list(selectors.VERDICT_LABELS), read_only=True, label=_("verdict")
    )
    verdict_label = serializers.CharField(read_only=True)


class ProgressSerializer(serializers.Serializer):
    actions_done = serializers.IntegerField(read_only=True)
    actions_total = serializers.IntegerField(
        read_only=True, help_text=_("Dropped actions are left out.")
    )
    actions_percent = read_only_money(decimal_places=1)
    actual = read_only_money(
        _("real revenue or contribution margin (revenue and margin objectives)")
    )
    figures_percent = read_only_money(decimal_places=1)
    percent = read_only_money(
        _("headline progress: the real figures where there are any, else the actions"),
        decimal_places=1,
    )


class AdjustmentSerializer(serializers.ModelSerializer):
    changed_by: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = ObjectiveAdjustment
        fields = ["field", "old_value", "new_value", "reason", "changed_by", "changed_at"]
        read_only_fields = fields


# The nested parts of an objective, shaped by ObjectiveSerializer.to_representation.
NESTED = ("progress", "forecast", "adjustments")


# A nested serializer's readable fields: (key, attribute, field).
Shape = tuple[tuple[str, str, serializers.Field], ...]


def _shape(fields: Shape, item: Any) -> dict[str, Any]:
    """One nested row: each field's value read from `item` by its (plain) attribute name
    and put into shape by the field, as the nested serializer would, without its
    per-field lookups and checks."""
    return {
        key: None if (value := getattr(item, attribute)) is None else field.to_representation(value)
        for key, attribute, field in fields
    }


class ObjectiveSerializer(ParseOnlyModelSerializer):
    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    owner = UserIdField(required=False, label=_("owner"), help_text=_("The creator if left out."))
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        label=_("reason"),
        help_text=_("Required when target_value or due_on changes."),
    )
    progress = ProgressSerializer(read_only=True)
    forecast = ForecastSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Revenue objectives with a target only."),
    )
    adjustments = AdjustmentSerializer(many=True, read_only=True)

    class Meta:
        model = Objective
        fields = [
            "id", "account", "year", "kind", "title", "target_value", "owner", "due_on",
            "status", "reason", "progress", "forecast", "adjustments", "created_at",
            "updated_at",
        ]  # fmt: skip

    def service_fields(self) -> ObjectiveFields:
        """The objective's fields; account, year and reason are arguments of their own."""
        return as_fields(
            ObjectiveFields, self.validated_data, without=["account", "year", "reason"]
        )

    @cached_property
    def _nested_fields(self) -> dict[str, Shape]:
        """The nested serializers' fields, bound once for every row of a list."""
        nested: dict[str, Shape] = {}
        for name in NESTED:
            declared = self.fields[name]
            serializer = (
                declared.child if isinstance(declared, serializers.ListSerializer) else declared
            )
            assert isinstance(serializer, serializers.Serializer)
            nested[name] = tuple(
                (str(field.field_name), str(field.source), field)
                for field in serializer._readable_fields
            )
        return nested

    @cached_property
    def _own_fields(self) -> tuple[tuple[str, str, serializers.Field | None], ...]:
        """The readable fields in answer order as (key, attribute, field): a related field
        reads its key column (`account_id`) and answers it as it is (field None)."""
        own: list[tuple[str, str, serializers.Field | None]] = []
        for name, field in self.fields.items():
            if field.write_only:
                continue
            if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
                own.append((name, f"{field.source}_id", None))
            else:
                own.append((name, str(field.source), field))
        return tuple(own)

    def to_representation(self, instance: Objective) -> dict[str, Any]:
        """Built flat, once per row, from the values read in the query (annotations) and
        attached by selectors.decorate (progress, forecast; the adjustments prefetched):
        the same answer as the declared fields and nested serializers give, without their
        per-field lookups for every row and nested value."""
        nested = self._nested_fields
        data: dict[str, Any] = {}
        for key, attribute, field in self._own_fields:
            if key == "adjustments":
                data[key] = [_shape(nested[key], row) for row in instance.adjustments.all()]
            elif key in nested:
                if hasattr(instance, attribute):  # else left out, as DRF leaves it out
                    value = getattr(instance, attribute)
                    data[key] = None if value is None else _shape(nested[key], value)
            elif field is None:
                data[key] = getattr(instance, attribute)
            else:
                value = getattr(instance, attribute)
                data[key] = None if value is None else field.to_representation(value)
        return data


class ActionSerializer(ParseOnlyModelSerializer):
    objective = serializers.PrimaryKeyRelatedField(
        queryset=Objective.objects.none(), label=_("objective")
    )
    account = serializers.IntegerField(source="objective.account_id", read_only=True)
    owner = UserIdField(required=False, label=_("owner"), help_text=_("The creator if left out."))

    class Meta:
        model = Action
        fields = [
            "id", "objective", "account", "title", "owner", "due_on", "status", "done_on",
            "customer_facing", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["done_on", "updated_at"]

    def service_fields(self) -> ActionFields:
        """The action's fields; the objective is an argument of its own."""
        return as_fields(ActionFields, self.validated_data, without=["objective"])

    def get_fields(self):
        fields = super().get_fields()
        # An objective outside the scope answers like one that does not exist.
        fields["objective"].queryset = Objective.objects.filter(
            account__in=visible_accounts(self.context["request"].user)
        )
        return fields
