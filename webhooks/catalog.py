"""The webhook event types an endpoint can choose (webhooks.outbox writes them)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

EVENT_TYPES: dict[str, Any] = {
    "account.created": _("Account created"),
    "account.changed": _("Account changed"),
    "account.deleted": _("Account deleted"),
    "figures.changed": _("Yearly figures changed"),
    "contact.created": _("Contact created"),
    "contact.changed": _("Contact changed"),
    "opportunity.created": _("Opportunity created"),
    "opportunity.stage_changed": _("Opportunity stage changed"),
    "opportunity.won": _("Opportunity won"),
    "opportunity.lost": _("Opportunity lost"),
    "contract.created": _("Contract created"),
    "issue.created": _("Customer issue created"),
    "issue.escalated": _("Customer issue escalated"),
    "review.held": _("Annual review held"),
}
