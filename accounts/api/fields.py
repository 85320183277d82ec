"""Ids resolved inside the requesting user's access scope, for every app's serializers."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.models import Account
from users.models import User


class ScopedPrimaryKeyRelatedField[M: models.Model](serializers.PrimaryKeyRelatedField[M]):
    """An id resolved inside the requesting user's access scope.

    An id outside the scope answers exactly like an id that does not exist, so the API
    never confirms that somebody else's account or contact is there.
    """

    default_error_messages = {
        "does_not_exist": _("Not found."),
        "incorrect_type": _("Expected an id, not {data_type}."),
    }

    def __init__(
        self, *, model: type[M], scope: Callable[[User], models.QuerySet[M]], **kwargs: Any
    ) -> None:
        self.scope = scope
        self.model = model
        # An empty queryset as the fallback: if the scope is ever bypassed, nothing resolves.
        kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)

    @classmethod
    def many_init(cls, *args, **kwargs):
        field = super().many_init(*args, **kwargs)
        field.__class__ = _ScopedManyRelatedField
        return field

    def use_pk_only_optimization(self):
        # An account is judged by its id; any other record by its account, so it is read
        # (list querysets preload it).
        return self.model is Account

    def to_representation(self, value):
        if not self.is_visible(value):
            return None
        return value.pk

    def is_visible(self, value) -> bool:
        """Whether the requesting user may see `value`: a record outside the scope that a
        visible one points to (a parent, a manager, a participant) is shown as null or
        left out, never by id. The visible account ids are read once per request."""
        if self.model is Account and self.source == "account":
            # The record's own account: the record was read through the scope of it.
            return True
        request = self.context.get("request")
        if request is None:
            return False
        user = request.user
        if user.is_authenticated and user.sees_all_accounts:
            return True
        ids = getattr(request, "_visible_account_ids", None)
        if ids is None:
            ids = set(visible_accounts(user).values_list("pk", flat=True))
            request._visible_account_ids = ids
        account_id = value.pk if self.model is Account else value.account_id
        return account_id in ids


class _ScopedManyRelatedField(serializers.ManyRelatedField):
    def to_representation(self, iterable):
        return [
            self.child_relation.to_representation(value)
            for value in iterable
            if self.child_relation.is_visible(value)
        ]
