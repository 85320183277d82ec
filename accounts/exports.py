"""The columns of the account and contact lists' exports (kam.export)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from kam import export
from kam.export import MONEY, Column


def _visible_parent(row: Account) -> str:
    # The list's queryset names the parent only where the user may see it.
    if getattr(row, "visible_parent_name", None) is None:
        return ""
    return export.related_key(row.parent)


ACCOUNTS = export.Export(
    name="accounts",
    columns=(
        *export.model_columns(Account, "external_id", "name", "legal_name", "vat_id"),
        Column(Account._meta.get_field("parent").verbose_name, _visible_parent),
        *export.model_columns(
            Account,
            "industry",
            "customer_type",
            "country",
            "city",
            "region",
            "website",
            "status",
            "tier",
            "owner",
            "individual_requirements",
            "last_contacted_at",
        ),
        Column(_("Revenue this year"), lambda row: row.year_revenue, MONEY),
        Column(_("Revenue target this year"), lambda row: row.year_revenue_target, MONEY),
        Column(_("Revenue potential this year"), lambda row: row.year_revenue_potential, MONEY),
    ),
    prepare=lambda queryset: queryset.select_related("parent"),
)

CONTACTS = export.Export(
    name="contacts",
    columns=(
        *export.model_columns(Contact, "external_id"),
        *export.account_columns(),
        *export.model_columns(
            Contact,
            "first_name",
            "last_name",
            "job_title",
            "department",
            "email",
            "phone",
            "mobile",
            "preferred_language",
            # Prefetched by the list only where the user may see the manager.
            "reports_to",
            "buying_role",
            "influence",
            "attitude",
            "relationship_strength",
            "relationship_owner",
            "is_active",
            "left_on",
            "legal_basis",
            "consent_on",
            "last_contacted_at",
        ),
    ),
)
