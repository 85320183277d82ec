"""Merge pages (heads of sales and administrators): pick the other record, choose the
survivor and the values to keep, and the list of likely duplicate pairs."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import duplicates, merge
from accounts.access import get_account_for, get_contact_for, visible_accounts, visible_contacts
from accounts.models import Account, Contact
from kam.htmx import render_page
from kam.http import AuthedHttpRequest

PICK_LIMIT = 20


def _require_merge(request: AuthedHttpRequest) -> None:
    if not merge.may_merge(request.user):
        raise PermissionDenied(_("Only heads of sales and administrators may merge records."))


@login_required
def account_merge_pick(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Which account to merge with: the likely duplicates, and a search by name."""
    _require_merge(request)
    account = get_account_for(request.user, pk)
    query = request.GET.get("q", "").strip()
    found = (
        visible_accounts(request.user)
        .filter(name__icontains=query)
        .exclude(pk=account.pk)
        .order_by("name", "pk")[:PICK_LIMIT]
        if len(query) >= 2
        else []
    )
    context = {
        "nav": "accounts",
        "record": account,
        "kind": "account",
        "candidates": duplicates.account_candidates(
            user=request.user,
            name=account.name,
            city=account.city,
            external_id=None,
            exclude_ids=(account.pk,),
        ),
        "found": found,
        "query": query,
    }
    return render_page(request, "accounts/merge_pick.html", context)


@login_required
def contact_merge_pick(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _require_merge(request)
    contact = get_contact_for(request.user, pk)
    query = request.GET.get("q", "").strip()
    found = (
        visible_contacts(request.user)
        .filter(last_name__icontains=query, erased_at__isnull=True)
        .exclude(pk=contact.pk)
        .select_related("account")
        .order_by("last_name", "first_name", "pk")[:PICK_LIMIT]
        if len(query) >= 2
        else []
    )
    context = {
        "nav": "contacts",
        "record": contact,
        "kind": "contact",
        "candidates": duplicates.contact_candidates(
            user=request.user,
            account=contact.account,
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email,
            exclude_ids=(contact.pk,),
        ),
        "found": found,
        "query": query,
    }
    return render_page(request, "accounts/merge_pick.html", context)


def _side(value: str | None, default: str = "a") -> str:
    return value if value in ("a", "b") else default


def _rows(a, b, data) -> list[dict]:
    return [
        {
            "name": choice.name,
            "label": choice.label,
            "a": choice.a,
            "b": choice.b,
            "side": _side(data.get(f"field_{choice.name}"), merge.default_side(a, b, choice.name)),
        }
        for choice in merge.differing_fields(a, b)
    ]


def _decisions(rows: list[dict], survivor_side: str) -> set[str]:
    """The fields whose value the survivor takes from the other record."""
    return {row["name"] for row in rows if row["side"] != survivor_side}


@login_required
def account_merge(request: AuthedHttpRequest, pk: int, other: int) -> HttpResponse:
    """Two accounts side by side: the one to keep, and per differing field the value."""
    _require_merge(request)
    a = get_account_for(request.user, pk)
    b = get_account_for(request.user, other)
    data = request.POST if request.method == "POST" else request.GET
    rows = _rows(a, b, data)
    survivor_side = _side(data.get("survivor"))
    years: list[dict[str, Any]] = [
        {"year": year, "choice": data.get(f"year_{year}", merge.ADD)}
        for year in merge.shared_years(a, b)
    ]
    figures = {row["year"]: row for row in years}
    errors: list[str] = []
    if request.method == "POST" and a.pk != b.pk:
        survivor, merged = (a, b) if survivor_side == "a" else (b, a)
        choices: dict[int, merge.FiguresChoice] = {}
        for year, row in figures.items():
            choice = row["choice"]
            if choice in ("a", "b"):
                choices[year] = "survivor" if choice == survivor_side else "merged"
            else:
                choices[year] = merge.ADD
        try:
            merge.account_merge(
                actor=request.user,
                survivor=Account.objects.get(pk=survivor.pk),
                merged=Account.objects.get(pk=merged.pk),
                keep_merged=_decisions(rows, survivor_side),
                figures=choices,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("“%(merged)s” was merged into “%(survivor)s”.")
                % {"merged": merged.name, "survivor": survivor.name},
            )
            return redirect("accounts:detail", pk=survivor.pk)
    context = {
        "nav": "accounts",
        "kind": "account",
        "a": a,
        "b": b,
        "rows": rows,
        "survivor": survivor_side,
        "years": [
            {
                **row,
                "a_figures": a.figures.get(year=row["year"]),
                "b_figures": b.figures.get(year=row["year"]),
            }
            for row in years
        ],
        "errors": errors,
    }
    return render_page(request, "accounts/merge.html", context, status=422 if errors else 200)


@login_required
def contact_merge(request: AuthedHttpRequest, pk: int, other: int) -> HttpResponse:
    _require_merge(request)
    a = get_contact_for(request.user, pk)
    b = get_contact_for(request.user, other)
    data = request.POST if request.method == "POST" else request.GET
    rows = _rows(a, b, data)
    survivor_side = _side(data.get("survivor"))
    errors: list[str] = []
    if request.method == "POST" and a.pk != b.pk:
        survivor, merged = (a, b) if survivor_side == "a" else (b, a)
        try:
            merge.contact_merge(
                actor=request.user,
                survivor=Contact.objects.get(pk=survivor.pk),
                merged=Contact.objects.get(pk=merged.pk),
                keep_merged=_decisions(rows, survivor_side),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("“%(merged)s” was merged into “%(survivor)s”.")
                % {"merged": merged.name, "survivor": survivor.name},
            )
            return redirect("accounts:contact_detail", pk=survivor.pk)
    context = {
        "nav": "contacts",
        "kind": "contact",
        "a": a,
        "b": b,
        "rows": rows,
        "survivor": survivor_side,
        "years": [],
        "errors": errors,
    }
    return render_page(request, "accounts/merge.html", context, status=422 if errors else 200)


@login_required
def duplicate_pairs(request: AuthedHttpRequest) -> HttpResponse:
    """Likely duplicate accounts and contacts across the portfolio, each pair linked to
    its merge page (a bounded list: the first pairs found)."""
    _require_merge(request)
    context = {
        "nav": "accounts",
        "account_pairs": duplicates.account_pairs(),
        "contact_pairs": duplicates.contact_pairs(),
        "limit": duplicates.PAIRS_LIMIT,
    }
    return render_page(request, "accounts/duplicates.html", context)
