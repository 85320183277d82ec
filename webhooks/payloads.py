"""The record a webhook message carries: `data.object`, the API's own serializer of the
record, as the endpoint's administrator reads it through the API.

Built when the outbox row is written, in the transaction of the change: the message shows
the record as the change left it (a later change sends its own message, and messages of
one record arrive in order, so a receiver that applies them in turn ends at the current
state). Nothing is serialized while no endpoint is active (webhooks.models.any_active).

Scope: the endpoint acts with the rights of the administrator who registered it. Events
of records on accounts outside that scope are not sent at all (webhooks.outbox); inside
it, the object is read through the same scoped querysets and fields as the API, so a
link to a record outside the scope (a parent group, a manager) is null. A deleted or
erased record has no object: the message says its ids and external id only.
"""

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer
from rest_framework.utils.encoders import JSONEncoder

from accounts.access import visible_accounts
from accounts.api.serializers import AccountSerializer, ContactSerializer, FiguresSerializer
from accounts.api.views import account_queryset, contact_queryset
from accounts.models import YearlyFigures
from contracts.api.serializers import ContractSerializer
from contracts.selectors import contract_list
from customer_care.api.serializers import IssueSerializer, SurveySerializer
from customer_care.selectors import issue_list, survey_list
from deals.api.serializers import OpportunitySerializer
from deals.selectors import opportunity_list
from reviews.api.serializers import ReviewSerializer, VersionSerializer
from reviews.models import AnnualReview, FolderVersion
from users.models import User

log = logging.getLogger(__name__)

type Key = Any  # a primary key, or (account id, year) for a year of figures


def _figures(user: User, key: Key) -> QuerySet:
    account_id, year = key
    scoped = YearlyFigures.objects.filter(account__in=visible_accounts(user))
    return scoped.filter(account_id=account_id, year=year)


def _by_pk(queryset_of: Callable[[User], QuerySet]) -> Callable[[User, Key], QuerySet]:
    return lambda user, pk: queryset_of(user).filter(pk=pk)


def _reviews(user: User) -> QuerySet:
    return AnnualReview.objects.filter(account__in=visible_accounts(user)).select_related("account")


def _versions(user: User) -> QuerySet:
    return FolderVersion.objects.filter(review__account__in=visible_accounts(user))


# kind: (the scoped queryset of the record, the API's serializer of it)
OBJECTS: dict[str, tuple[Callable[[User, Key], QuerySet], type[BaseSerializer]]] = {
    "account": (_by_pk(account_queryset), AccountSerializer),
    "contact": (_by_pk(contact_queryset), ContactSerializer),
    "figures": (_figures, FiguresSerializer),
    "opportunity": (_by_pk(opportunity_list), OpportunitySerializer),
    "contract": (_by_pk(contract_list), ContractSerializer),
    "issue": (_by_pk(issue_list), IssueSerializer),
    "survey": (_by_pk(survey_list), SurveySerializer),
    "review": (_by_pk(_reviews), ReviewSerializer),
    "folder_version": (_by_pk(_versions), VersionSerializer),
}


def _request_of(user: User) -> Request:
    """A request of `user` for the serializers' scoped fields (no HTTP request here)."""
    http = HttpRequest()
    http.META["SERVER_NAME"] = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".")
    http.META["SERVER_PORT"] = "443"
    http.user = user
    request = Request(http)
    request.user = user
    return request


def represent(kind: str, key: Key, user: User) -> dict[str, Any] | None:
    """The record as `user` reads it through the API, as plain JSON values; None when
    it is gone or outside the user's scope."""
    queryset_of, serializer = OBJECTS[kind]
    try:
        # In a savepoint of the change's transaction: a failure here must not undo the
        # change; the message then goes out with its ids.
        with transaction.atomic():
            record = queryset_of(user, key).first()
            if record is None:
                return None
            data = serializer(record, context={"request": _request_of(user)}).data
            return json.loads(json.dumps(data, cls=JSONEncoder))  # as the API writes it
    except Exception:
        log.exception("webhook object %s %s could not be serialized", kind, key)
        return None
