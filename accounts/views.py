"""Account pages. Each view fetches through the access scope and writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import duplicates, exports, merge, selectors, services
from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    get_account_for,
    get_editable_or_404,
    is_visible_account_id,
    visible_accounts,
    with_visible_manager,
)
from accounts.fields import AccountEditFields
from accounts.filters import AccountFilter
from accounts.forms import AccountForm, FiguresForm, ProfileSectionForm, TeamMemberForm
from accounts.history import history_context
from accounts.models import Account, Merge, ProfileSection
from accounts.relationship_map import relationship_map
from kam import concurrency, export, registry
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import page_of
from users.models import User

PAGE_SIZE = 25
USER_OPTIONS = 20
TABS = ["profile", "team", "figures", "group", "contacts", "map", "history"]


def _app_tabs(account: Account) -> dict[str, tuple[str, str]]:
    """Tabs whose panel another app renders (registered in that app's AppConfig.ready())."""
    return {
        tab.key: (str(tab.label), reverse(tab.url_name, args=[account.pk]))
        for tab in registry.account_tabs
    }


@login_required
def account_list(request: AuthedHttpRequest) -> HttpResponse:
    accounts = selectors.account_list(request.user).order_by("name")
    filterset = AccountFilter(request.GET or None, queryset=accounts)
    if filterset.is_valid():
        accounts = filterset.qs
    if fmt := export.requested(request):
        return export.response(exports.ACCOUNTS, accounts, fmt=fmt, request=request)
    page = page_of(accounts, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "accounts",
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "year": selectors.current_year(),
        "can_create": True,
        "may_merge": merge.may_merge(request.user),
    }
    return render_page(request, "accounts/list.html", context, partial="results")


@login_required
def user_options(request: AuthedHttpRequest) -> HttpResponse:
    """Suggestions for a user type-ahead box (kam.forms.UserTypeahead): at most 20 active
    users whose name contains what was typed; only account owners unless `scope=all`."""
    typed = request.GET.get(request.GET.get("field", "q"), "").strip()
    users = User.objects.filter(is_active=True)
    if request.GET.get("scope") != "all":
        users = users.filter(Exists(Account.objects.filter(owner=OuterRef("pk"))))
    if typed:
        users = users.filter(
            Q(first_name__icontains=typed)
            | Q(last_name__icontains=typed)
            | Q(username__icontains=typed)
        )
    users = users.order_by("last_name", "first_name", "pk")[:USER_OPTIONS]
    return render(request, "partials/user_options.html", {"users": users})


@login_required
def account_create(request: AuthedHttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, user=request.user)
    candidates = []
    if request.method == "POST" and form.is_valid() and not request.POST.get("allow_duplicate"):
        # Likely duplicates are shown before saving; "Save anyway" posts the same form again.
        candidates = duplicates.account_candidates(
            user=request.user,
            name=form.cleaned_data["name"],
            city=form.cleaned_data["city"],
            external_id=form.cleaned_data["external_id"],
            vat_id=form.cleaned_data["vat_id"],
        )
    if request.method == "POST" and form.is_valid() and not candidates:
        try:
            account = services.account_create(
                actor=request.user,
                product_lines=form.cleaned_data["product_lines"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("parent", str(exc))
        else:
            messages.success(
                request, _("The account “%(name)s” was created.") % {"name": account.name}
            )
            return redirect("accounts:detail", pk=account.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "nav": "accounts", "duplicates": candidates}
    return render_page(request, "accounts/form.html", context, status=status)


@login_required
def account_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    conflict = False
    if request.method == "POST" and form.is_valid():
        stored = Account.objects.get(pk=account.pk)
        try:
            conflict = (
                concurrency.save_fields(
                    form,
                    AccountEditFields,
                    lambda changes: services.account_update(
                        actor=request.user, account=stored, **changes
                    ),
                )
                is None
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            # The account itself may be changed (checked above): the new parent may not.
            form.add_error("parent", str(exc))
        else:
            if not conflict:
                messages.success(request, _("Your changes were saved."))
                return redirect("accounts:detail", pk=account.pk)
    status = 409 if conflict else 422 if form.errors else 200
    context = {"form": form, "account": account, "nav": "accounts"}
    return render_page(request, "accounts/form.html", context, status=status)


def _header_context(account: Account, user) -> dict:
    year = selectors.current_year()
    own = {f.year: f for f in account.figures.filter(year__in=[year, year - 1])}
    # The group (the account and all accounts below it) read once as ids: the header
    # facts then look up each id along their indexes, where a subquery let PostgreSQL
    # misjudge the group's size and read every deal and follow-up.
    group_ids = list(
        Account.objects.filter(path__startswith=account.path).values_list("pk", flat=True)
    )
    return {
        "year": year,
        "figures_this_year": own.get(year),
        "figures_last_year": own.get(year - 1),
        "ancestors": visible_accounts(user).filter(pk__in=account.ancestor_ids()).order_by("path"),
        "subsidiary_count": len(group_ids) - 1,
        "header_facts": _header_facts(account, user, group_ids),
        "account_actions": [action.template for action in registry.account_actions],
    }


def _header_facts(account: Account, user, group_ids: list[int]) -> list[tuple[str, dict]]:
    """The facts other apps show in the header (open pipeline, open issues, ...), as
    (template, context) pairs; the group is the account and all accounts below it."""
    facts = []
    for fact in registry.header_facts:
        context = fact.compute(account=account, group_ids=group_ids, user=user)
        if context is not None:
            facts.append((fact.template, context))
    return facts


def merged_account_redirect(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A merged account's page answers with a permanent redirect to the survivor (for who
    may see it; a 404 for everyone else)."""
    survivor = merge.survivor_id(Merge.Kind.ACCOUNT, pk)
    if survivor is None or not is_visible_account_id(request.user, survivor):
        raise Http404
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return HttpResponsePermanentRedirect(reverse("accounts:detail", args=[survivor]) + query)


@login_required
def account_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    try:
        account = get_account_for(request.user, pk)
    except Http404:
        return merged_account_redirect(request, pk)
    app_tabs = _app_tabs(account)
    tab = request.GET.get("tab", "profile")
    if tab not in TABS and tab not in app_tabs:
        tab = "profile"
    header = _header_context(account, request.user)
    # Only a member of a group has the group's tree.
    in_group = bool(account.parent_id or header["subsidiary_count"])
    if tab == "group" and not in_group:
        tab = "profile"
    context = {
        "nav": "accounts",
        "account": account,
        "tab": tab,
        "tabs": _tab_labels(app_tabs, in_group=in_group),
        "app_tab_url": app_tabs.get(tab, (None, None))[1],
        "can_edit": can_edit_account(request.user, account),
        "may_merge": merge.may_merge(request.user),
        **header,
        **_tab_context(request, account, tab),
    }
    return render_page(request, "accounts/detail.html", context)


@login_required
def account_facts(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The key facts of the account header alone: they reload themselves when something
    on the page changed them (htmx event kam:account-changed)."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(account_url(account))
    context = {"account": account, **_header_context(account, request.user)}
    return render_page(request, "accounts/detail.html", context, partial="facts")


def _tab_labels(
    app_tabs: dict[str, tuple[str, str]], *, in_group: bool
) -> list[tuple[str, str, str | None]]:
    """(key, label, panel URL of another app or None) for each tab: the account's own
    first (the map next to the contacts it draws), then the other apps', history last."""
    own = [
        ("profile", _("Profile")),
        ("team", _("Team")),
        ("figures", _("Figures")),
        *([("group", _("Group structure"))] if in_group else []),
        ("contacts", _("Contacts")),
        ("map", _("Relationship map")),
    ]
    tabs: list[tuple[str, str, str | None]] = [(key, label, None) for key, label in own]
    tabs += [(key, label, url) for key, (label, url) in app_tabs.items()]
    tabs.append(("history", _("History"), None))
    return tabs


@login_required
def account_tab(request: AuthedHttpRequest, pk: int, tab: str) -> HttpResponse:
    if tab not in TABS:
        raise Http404
    account = get_account_for(request.user, pk)
    context = {
        "account": account,
        "tab": tab,
        "can_edit": can_edit_account(request.user, account),
        **_tab_context(request, account, tab),
    }
    if not request.htmx:
        return redirect(f"{account_url(account)}?tab={tab}")
    return render_page(request, "accounts/detail.html", context, partial=f"tab_{tab}")


def account_url(account: Account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def _tab_context(request: AuthedHttpRequest, account: Account, tab: str, **extra) -> dict:
    if tab == "profile":
        sections = {s.kind: s for s in account.profile_sections.select_related("updated_by")}
        return {
            "sections": [
                (kind, label, sections.get(kind)) for kind, label in ProfileSection.Kind.choices
            ],
            "product_lines": account.product_lines.all(),
        } | extra
    if tab == "team":
        return {
            "memberships": account.team.select_related("user").order_by("user__last_name"),
            "team_form": extra.pop("team_form", None) or TeamMemberForm(),
        } | extra
    if tab == "figures":
        return {
            "figures": account.figures.all(),
            "group_figures": selectors.group_figures(account),
            "has_subsidiaries": Account.objects.filter(parent=account).exists(),
            "figures_form": extra.pop("figures_form", None)
            or FiguresForm.for_year(account=account, year=selectors.current_year()),
        } | extra
    if tab == "contacts":
        contacts = (
            with_visible_manager(
                request.user, account.contacts.select_related("relationship_owner")
            )
            .annotate(
                report_count=Count(
                    "direct_reports",
                    filter=Q(direct_reports__account__in=visible_accounts(request.user)),
                )
            )
            .order_by("-is_active", "last_name")
        )
        return {"contacts": contacts} | extra
    if tab == "map":
        return {"map": relationship_map(account)} | extra
    if tab == "group":
        return {
            "group_tree": selectors.group_tree(request.user, account),
            "year": selectors.current_year(),
        } | extra
    if tab == "history":
        return history_context(request, "account", account, target="#tab-panel") | extra
    return extra


@login_required
@require_POST
def profile_section_edit(request: AuthedHttpRequest, pk: int, kind: str) -> HttpResponse:
    account = get_account_for(request.user, pk)
    form = ProfileSectionForm(request.POST)
    if form.is_valid():
        services.profile_section_update(
            actor=request.user, account=account, kind=kind, text=form.cleaned_data["text"]
        )
        messages.success(request, _("The profile was saved."))
    return _render_tab(request, account, "profile")


def _render_tab(
    request: AuthedHttpRequest, account: Account, tab: str, status=200, *, stay=False, **extra
):
    """The tab after a POST: its partial for htmx; without htmx, a redirect to the tab after
    success, else the full page (with errors, or with a question when `stay`)."""
    context = {
        "account": account,
        "tab": tab,
        "can_edit": can_edit_account(request.user, account),
        **_tab_context(request, account, tab, **extra),
    }
    if not request.htmx:
        if status == 200 and not stay:
            return redirect(f"{account_url(account)}?tab={tab}")
        header = _header_context(account, request.user)
        in_group = bool(account.parent_id or header["subsidiary_count"])
        tabs = _tab_labels(_app_tabs(account), in_group=in_group)
        context |= {"nav": "accounts", "tabs": tabs, **header}
        return render_page(request, "accounts/detail.html", context, status=status)
    return render_page(
        request, "accounts/detail.html", context, partial=f"tab_{tab}", status=status
    )


@login_required
@require_POST
def team_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        try:
            services.team_member_set(actor=request.user, account=account, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The team was updated."))
            return _render_tab(request, account, "team")
    return _render_tab(request, account, "team", status=422, team_form=form)


@login_required
@require_POST
def team_remove(request: AuthedHttpRequest, pk: int, membership_id: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    services.team_member_remove(actor=request.user, account=account, membership_id=membership_id)
    messages.success(request, _("The team member was removed."))
    return _render_tab(request, account, "team")


@login_required
def figures_form(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The figures form showing what is stored for the year typed in its year field."""
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    if not request.htmx:
        return redirect(f"{account_url(account)}?tab=figures")
    year, shown_year = (
        int(raw) if raw.isdigit() and len(raw) <= 4 else None
        for raw in (request.GET.get("year", ""), request.GET.get("shown_year", ""))
    )
    form = FiguresForm.for_year(
        account=account, year=year, typed=request.GET, shown_year=shown_year
    )
    context = {"account": account, "figures_form": form}
    return render_page(request, "accounts/detail.html", context, partial="figures_form")


@login_required
@require_POST
def figures_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    form = FiguresForm(request.POST)
    if form.is_valid():
        data = form.service_fields()
        year: int = form.cleaned_data["year"]
        form.shown_year = year
        stored = account.figures.filter(year=year).first()
        losses = form.losses(stored)
        if losses and request.POST.get("confirmed") != str(year):
            # Replacing stored figures with zeros or nothing is asked first: the form comes
            # back as it was typed, with the values that would be lost and a confirm button.
            return _render_tab(
                request, account, "figures", stay=True, figures_form=form, figures_losses=losses
            )
        try:
            if form.actuals_known:
                services.figures_put(actor=request.user, account=account, year=year, **data)
            else:
                # Actuals left empty are not known: targets and potential only.
                services.figures_plan_set(
                    actor=request.user,
                    account=account,
                    year=year,
                    revenue_target=data.get("revenue_target"),
                    margin_target=data.get("margin_target"),
                    revenue_potential=data.get("revenue_potential"),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The figures for %(year)s were saved.") % {"year": year},
            )
            return _render_tab(request, account, "figures")
    return _render_tab(request, account, "figures", status=422, figures_form=form)


@login_required
@require_POST
def figures_delete(request: AuthedHttpRequest, pk: int, year: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    if services.figures_delete(actor=request.user, account=account, year=year):
        messages.success(request, _("The figures for %(year)s were deleted.") % {"year": year})
    return _render_tab(request, account, "figures")


@login_required
def search(request: AuthedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    accounts, contacts = selectors.search(request.user, query)
    searched = len(query.strip()) >= 2
    context = {
        "search_query": query,
        "accounts": accounts,
        "contacts": contacts,
        "searched": searched,
        # Other apps' results (kam.registry.search_providers), one group per provider.
        "provider_results": [
            (provider.label, provider.search(user=request.user, query=query.strip(), limit=8))
            for provider in registry.search_providers
        ]
        if searched
        else [],
    }
    return render_page(request, "accounts/search.html", context, partial="results")
