"""Reads shared by pages, API and the timeline. Each starts from the access scope."""

from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.access import get_scoped_or_404, scoped
from contracts.models import Contract, ContractDocument
from contracts.terms import bring_up_to, holding_on, next_notice_between

DEFAULT_WITHIN_DAYS = 90
NEAR_DEADLINE_DAYS = 90  # the account panel highlights deadlines this close


def contract_list(user, *, today: date | None = None) -> QuerySet[Contract]:
    """Contracts the user may see, with account and owner preloaded, the number of
    documents, and the dates on `today` (`contracts.terms.holding_on`): one query for a
    whole page (after one that finds contracts with stale dates, normally none)."""
    today = today or timezone.localdate()
    queryset = scoped(user, Contract.objects.all()).select_related("account", "owner")
    # A correlated count per row: a JOIN with GROUP BY would group every contract in scope
    # with its computed term columns before paging.
    documents = (
        ContractDocument.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return holding_on(queryset, today=today).annotate(
        document_count=Coalesce(Subquery(documents, output_field=IntegerField()), 0)
    )


def get_contract_for(user, pk) -> Contract:
    """One contract in the user's scope (with its computed dates); 404 for everyone else."""
    return get_scoped_or_404(user, contract_list(user), pk)


def notice_within(queryset: QuerySet[Contract], days: int, *, today: date | None = None):
    """Contracts whose next notice deadline that can still be met falls between today and
    `days` days from now (a contract whose deadline was missed is listed by its next one).
    Reads the stored `next_notice_on` by its index (see terms.next_notice_between)."""
    today = today or timezone.localdate()
    days = min(max(days, 0), (date.max - today).days)
    bring_up_to(Contract, today=today)
    return queryset.filter(next_notice_between(today, today + timedelta(days=days)))


def documents_of(contract: Contract) -> QuerySet[ContractDocument]:
    """The contract's documents with the uploader preloaded."""
    return contract.documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


def get_document_for(user, contract_pk, document_pk) -> ContractDocument:
    """A document of a contract in the user's scope; 404 for everyone else."""
    contract = get_contract_for(user, contract_pk)
    document = contract.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    document.contract = contract
    return document
