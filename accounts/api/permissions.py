"""The DRF face of accounts.access: every app's API checks "may change" through it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from accounts.access import can_edit_account
from accounts.models import Account


class CanEditAccount(permissions.BasePermission):
    """Reading needs only the scope (the queryset); changing needs the "may change"
    predicate of accounts.access, checked before the body is parsed so that a reader gets
    403 rather than a list of field errors. The services check it again."""

    message = _("You may not change this account.")

    def has_object_permission(self, request: Request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        account = obj if isinstance(obj, Account) else obj.account
        return can_edit_account(request.user, account)
