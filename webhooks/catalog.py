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
    "contact.erased": _("Contact erased (GDPR)"),
    "opportunity.created": _("Opportunity created"),
    "opportunity.stage_changed": _("Opportunity stage changed"),
    "opportunity.won": _("Opportunity won"),
    "opportunity.lost": _("Opportunity lost"),
    "contract.created": _("Contract created"),
    "contract.notice_approaching": _("Contract notice deadline approaching"),
    "contract.notice_missed": _("Contract notice deadline missed"),
    "issue.created": _("Customer issue created"),
    "issue.escalated": _("Customer issue escalated"),
    "survey.detractor": _("Survey with a detractor"),
    "review.held": _("Annual review held"),
    "folder_version.ready": _("Review folder version ready"),
    "dependency.warning_raised": _("Dependency warning raised"),
}
