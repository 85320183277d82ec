"""API shapes for contracts and their documents. Serializers only parse and shape; the
services' model validation is the one set of rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account
from contracts.fields import ContractFields
from contracts.models import Contract, ContractDocument
from kam.api.serializers import ParseOnlyModelSerializer, UserIdField
from kam.fields import as_fields
from users.models import User


class ContractSerializer(ParseOnlyModelSerializer[Contract]):
    account: serializers.PrimaryKeyRelatedField[Account] = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = UserIdField(
        required=False,
        label=_("responsible"),
        help_text=_("A user id; the creating user when left out."),
    )
    term_end = serializers.DateField(read_only=True, allow_null=True, label=_("current term ends"))
    notice_deadline = serializers.DateField(
        read_only=True,
        allow_null=True,
        label=_("notice deadline"),
        help_text=_(
            "The last day notice may be received to end the current term (§§ 187, 188 BGB);"
            " empty for open-ended contracts and drafts."
        ),
    )
    missed_notice_deadline = serializers.DateField(
        read_only=True,
        allow_null=True,
        label=_("missed notice deadline"),
        help_text=_("The current term's deadline when it has passed while the term runs."),
    )
    next_notice_deadline = serializers.DateField(
        read_only=True,
        allow_null=True,
        label=_("next notice deadline"),
        help_text=_("The first notice deadline, today or later, that can still be met."),
    )
    next_renewal_on = serializers.DateField(
        read_only=True, allow_null=True, label=_("next renewal")
    )
    document_count = serializers.IntegerField(read_only=True, label=_("documents"))

    class Meta:
        model = Contract
        fields = [
            "id", "external_id", "account", "account_name", "number", "title", "kind", "status",
            "start_on", "end_on", "notice_period_months", "auto_renewal", "renewal_term_months",
            "annual_value", "prices_and_terms", "terminated_on", "owner", "term_end",
            "notice_deadline", "missed_notice_deadline", "next_notice_deadline",
            "next_renewal_on", "document_count", "created_at", "updated_at",
        ]  # fmt: skip

    def service_fields(self) -> ContractFields:
        """The fields besides the account (an argument of its own)."""
        return as_fields(ContractFields, self.validated_data, without=["account"])


class ContractUpdateSerializer(ContractSerializer):
    """A contract stays with its account: `account` is read-only on change."""

    account = serializers.PrimaryKeyRelatedField[Account](read_only=True)


class DocumentSerializer(serializers.ModelSerializer[ContractDocument]):
    uploaded_by_name = serializers.StringRelatedField[User](source="uploaded_by", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ContractDocument
        fields = [
            "id", "original_name", "content_type", "size", "uploaded_by", "uploaded_by_name",
            "uploaded_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, document: ContractDocument) -> str:
        return reverse("api-contract-document-download", args=[document.contract_id, document.pk])


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("file"), help_text=_("PDF or Office document."))
