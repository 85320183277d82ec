"""Review pages: the Reviews page, the account tab, and the review workspace.

Each view fetches through the access scope (404 outside it) and writes through
reviews.services; the API calls the same services. An htmx request gets the partial of the
area it changed, a plain request the whole page.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import (
    can_edit_account,
    editable_accounts,
    get_account_for,
    get_editable_or_404,
)
from kam import concurrency, export, queue
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.uploads import attachment_response
from reviews import branding, charts, exports, pdf, selectors, services
from reviews.fields import ReviewFields, SectionFields
from reviews.forms import (
    AgendaItemForm,
    AgreementForm,
    BrandingForm,
    MarketFigureForm,
    ProjectForm,
    RenderForm,
    ReviewCreateForm,
    ReviewForm,
    SectionForm,
    TopicForm,
)
from reviews.models import (
    AgendaItem,
    Agreement,
    AnnualReview,
    FolderVersion,
    JointProject,
    MarketFigure,
    Section,
    Topic,
)

DETAIL = "reviews/detail.html"
SECTION_AREAS: dict[str, str] = {Section.Kind.MARKET: "market", Section.Kind.AGENDA: "agenda"}
LIST_LIMIT = 100


@login_required
def review_list(request: AuthedHttpRequest) -> HttpResponse:
    """Upcoming and in-preparation reviews, and key accounts whose review is overdue."""
    today = timezone.localdate()
    reviews = selectors.review_list(request.user).select_related("account__owner")
    open_statuses = (AnnualReview.Status.PREPARING, AnnualReview.Status.READY)
    if fmt := export.requested(request):
        # Every review of the page's sections, without their length limit.
        shown = reviews.filter(
            Q(status__in=open_statuses) | Q(meeting_on__gte=today - timedelta(days=365))
        ).order_by("-year", "account__name", "pk")
        return export.response(exports.REVIEWS, shown, fmt=fmt, request=request)
    context = {
        "nav": "reviews",
        "may_brand": branding.may_edit(request.user),
        "today": today,
        "upcoming": list(
            reviews.filter(status__in=open_statuses, meeting_on__gte=today).order_by(
                "meeting_on", "pk"
            )[:LIST_LIMIT]
        ),
        "preparing": list(
            reviews.filter(status__in=open_statuses)
            .exclude(meeting_on__gte=today)
            .order_by("-year", "account__name", "pk")[:LIST_LIMIT]
        ),
        "recent": list(
            reviews.exclude(status__in=open_statuses)
            .filter(meeting_on__gte=today - timedelta(days=365))
            .order_by("-meeting_on", "pk")[:LIST_LIMIT]
        ),
        "overdue": list(selectors.overdue_key_accounts(request.user, today=today)[:LIST_LIMIT]),
    }
    return render_page(request, "reviews/list.html", context)


@login_required
def account_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The Reviews tab of the account page (loaded by htmx)."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('accounts:detail', args=[account.pk])}?tab=reviews")
    context = {
        "account": account,
        "reviews": selectors.review_list(request.user)
        .filter(account=account)
        .prefetch_related("versions")
        .order_by("-year"),
        "can_edit": can_edit_account(request.user, account),
    }
    return render_page(request, "reviews/account_panel.html", context)


@login_required
def review_create(request: AuthedHttpRequest) -> HttpResponse:
    accounts = editable_accounts(request.user).order_by("name")
    if request.method == "POST":
        form = ReviewCreateForm(request.POST, accounts=accounts)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.review_create(
                    actor=request.user,
                    account=data["account"],
                    year=data["year"],
                    meeting_on=data["meeting_on"],
                    place=data["place"],
                    language=data["language"],
                    backdate_reason=data["backdate_reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The review was created from the account's data."))
                url = reverse("reviews:detail", args=[review.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        status = 422
    else:
        initial = {}
        account_id = request.GET.get("account", "")
        if account_id.isdigit():
            initial["account"] = accounts.filter(pk=account_id).first()
        form = ReviewCreateForm(accounts=accounts, initial=initial)
        status = 200
    context = {"form": form, "nav": "reviews"}
    return render_page(request, "reviews/form.html", context, partial="form", status=status)


def _context(
    request: AuthedHttpRequest,
    review: AnnualReview,
    editing: tuple[str, int, Any] | None = None,
    section_form: SectionForm | None = None,
    **forms,
) -> dict:
    """The workspace: the review with everything prefetched and a form for each area; a
    form that failed comes back in `forms` (a section's in `section_form`) with its
    errors. `editing` is (area, row id, form) of the one row shown as a form in its place."""
    can_edit = can_edit_account(request.user, review.account)
    sections = {section.kind: section for section in review.sections.all()}
    for section in sections.values():
        if section_form is not None and section_form.prefix == section.kind:
            section.form = section_form
            continue
        section.form = SectionForm(
            initial={"text": section.text}, prefix=section.kind, versioned=section
        )
    hidden = []
    all_choices = 0
    for section in sections.values():
        choices = selectors.section_items(section)
        all_choices += len(choices)
        section.choice_lists = {}
        for choice in choices:
            section.choice_lists.setdefault(choice.list_name, []).append(choice)
        hidden += [choice for choice in choices if not choice.shown]
    business_cases = selectors.review_business_cases(review)
    versions = list(review.versions.all())
    figure_rows = (
        (sections[Section.Kind.FIGURES].data or {}).get("rows", [])
        if (Section.Kind.FIGURES in sections)
        else []
    )
    context = {
        "nav": "reviews",
        "review": review,
        "account": review.account,
        "can_edit": can_edit,
        "sections": sections,
        "kinds": Section.Kind,
        "versions": versions,
        "running": next((v for v in versions if v.is_running), None),
        "charts": charts.review_charts(figure_rows, internal=True, until=review.meeting_on),
        "today": timezone.localdate(),
        "review_form": ReviewForm(instance=review, prefix="review", user=request.user),
        **{name: form_class(prefix=area) for area, (form_class, name) in ADDERS.items()},
        "render_form": RenderForm(),
        "hidden_items": hidden,
        "business_cases": business_cases,
        "progress": _progress(
            review,
            sections,
            versions,
            all_choices + len(business_cases),
            len(hidden) + sum(1 for case in business_cases if not case.included),
        ),
        "shown_all_choices": [
            ("1", _("Show all to the customer")),
            ("0", _("Hide all from the customer")),
        ],
        "editing": {"area": editing[0], "pk": editing[1], "form": editing[2]}
        if editing and can_edit
        else None,
    }
    context.update(forms)
    return context


def _progress(
    review: AnnualReview,
    sections: dict[str, Section],
    versions: list[FolderVersion],
    choices: int,
    hidden: int,
) -> dict[str, Any]:
    """The review page's progress line: which of the folder's parts have content (from
    what the workspace has prefetched), how many items go to the customer, the last render."""

    def has(kind: str) -> bool:
        section = sections.get(kind)
        if section is None:
            return False
        data = section.data or {}
        lists = ("events", "rows", "actions", "projects", "issues")
        return bool(section.text or any(data.get(key) for key in lists))

    parts = [
        ("review-sections", _("The relationship so far"), has(Section.Kind.RELATIONSHIP)),
        ("review-sections", _("Key figures"), has(Section.Kind.FIGURES)),
        ("review-sections", _("Measures carried out"), has(Section.Kind.MEASURES)),
        ("review-market", _("Market data"),
         bool(review.market_data.all()) or has(Section.Kind.MARKET)),
        ("review-agenda", _("Agenda"), bool(review.agenda.all())),
        ("review-topics", _("Topic plan"), bool(review.topics.all())),
        ("review-projects", _("Outlook and next year's plan"),
         bool(review.projects.all()) or has(Section.Kind.OUTLOOK)),
    ]  # fmt: skip
    done = [v for v in versions if v.status == FolderVersion.Status.DONE]
    return {
        "parts": [{"anchor": a, "label": label, "filled": filled} for a, label, filled in parts],
        "filled": sum(1 for _a, _l, filled in parts if filled),
        "total": len(parts),
        "shown": choices - hidden,
        "choices": choices,
        "last_render": done[0] if done else None,
    }


def _respond(
    request: AuthedHttpRequest,
    pk: int,
    partial: str,
    *,
    status: int = 200,
    editing: tuple[str, int, Any] | None = None,
    section_form: SectionForm | None = None,
    **forms,
) -> HttpResponse:
    review = selectors.review_workspace(request.user, pk)
    context = _context(request, review, editing, section_form, **forms)
    response = render_page(request, DETAIL, context, partial=partial, status=status)
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        # The progress line (parts filled, items chosen, last render) changes with almost
        # every change in place: it goes along out of band and replaces the stale one.
        response.content += render_to_string(
            f"{DETAIL}#progress", {**context, "oob": True}, request=request
        ).encode()
    return response


@login_required
def review_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_workspace(request.user, pk)
    return render_page(request, DETAIL, _context(request, review))


def _editable_review(request: AuthedHttpRequest, pk: int) -> AnnualReview:
    return get_editable_or_404(request.user, selectors.reviews(), pk)


@login_required
@require_POST
def review_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _editable_review(request, pk)
    form = ReviewForm(request.POST, instance=review, prefix="review", user=request.user)
    status = 422
    if form.is_valid():
        try:
            saved = concurrency.save_fields(
                form,
                ReviewFields,
                lambda changes: services.review_update(
                    actor=request.user, review=review, **changes
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved is not None:
                messages.success(request, _("The review was saved."))
                return _respond(request, pk, "meta")
            status = 409
    review.refresh_from_db()
    return _respond(request, pk, "meta", status=status, review_form=form)


@login_required
@require_POST
def review_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _editable_review(request, pk)
    name = str(review)
    services.review_delete(actor=request.user, review=review)
    messages.success(request, _("The review %(review)s was deleted.") % {"review": name})
    url = reverse("reviews:list")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def section_save(request: AuthedHttpRequest, pk: int, kind: str) -> HttpResponse:
    review = _editable_review(request, pk)
    section = review.sections.filter(kind=kind).first()
    if section is None:
        raise Http404
    # The texts of the market data and the agenda sit in their own areas of the page.
    partial = SECTION_AREAS.get(kind, "sections")
    form = SectionForm(request.POST, prefix=kind, initial={"text": section.text}, versioned=section)
    if not form.is_valid():
        return _respond(request, pk, partial, status=422, section_form=form)
    try:
        saved = concurrency.save_fields(
            form,
            SectionFields,
            lambda changes: services.section_update(actor=request.user, section=section, **changes),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _respond(request, pk, partial, status=422, section_form=form)
    if saved is None:
        return _respond(request, pk, partial, status=409, section_form=form)
    messages.success(request, _("“%(section)s” was saved.") % {"section": section})
    return _respond(request, pk, partial)


@login_required
@require_POST
def section_refresh(request: AuthedHttpRequest, pk: int, kind: str) -> HttpResponse:
    review = _editable_review(request, pk)
    section = review.sections.select_related("review__account").filter(kind=kind).first()
    if section is None:
        raise Http404
    section = services.section_refresh(actor=request.user, section=section)
    partial = "topics" if kind == Section.Kind.AGENDA else "sections"
    if section.changes:
        messages.info(request, _("Refreshed: %(count)s changes.") % {"count": len(section.changes)})
    else:
        messages.info(request, _("Refreshed: nothing changed."))
    return _respond(request, pk, partial)


@login_required
@require_POST
def section_shown(request: AuthedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Show or hide one item of a section in the customer's folder ("item" and "shown"),
    or all of the section ("all" 1 or 0)."""
    review = _editable_review(request, pk)
    section = review.sections.select_related("review__account").filter(kind=kind).first()
    if section is None:
        raise Http404
    show_all = request.POST.get("all")
    try:
        if show_all in ("0", "1"):
            services.customer_choices_set(
                actor=request.user, section=section, show_all=show_all == "1"
            )
        else:
            choice = {request.POST.get("item", ""): request.POST.get("shown") == "1"}
            services.customer_choices_set(actor=request.user, section=section, choices=choice)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _respond(request, pk, "sections", status=422)
    response = _respond(request, pk, "sections")
    # The preview on the page loads again.
    response["HX-Trigger"] = "customer-choice"
    return response


@login_required
@require_POST
def business_case_shown(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Put a business case of the group into the customer's folder ("case", "shown" 1) or
    take it out ("shown" absent: an unticked box sends nothing)."""
    review = _editable_review(request, pk)
    case_id = request.POST.get("case", "")
    try:
        services.business_case_include(
            actor=request.user,
            review=review,
            case_id=int(case_id) if case_id.isdigit() else 0,
            included=request.POST.get("shown") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _respond(request, pk, "cases", status=422)
    response = _respond(request, pk, "cases")
    response["HX-Trigger"] = "customer-choice"  # the preview loads again
    return response


@login_required
def preview_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The preview area of the page (reloaded after a switch)."""
    selectors.get_review_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('reviews:detail', args=[pk])}#review-preview")
    return _respond(request, pk, "preview")


# The preview shows the folder's own HTML, with its inline style, framed by the page only.
PREVIEW_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [CSP.SELF],
}


@login_required
@xframe_options_sameorigin
@csp_override(PREVIEW_CSP)
def folder_preview(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The customer's version as HTML: the very HTML WeasyPrint prints."""
    review = selectors.get_review_for(request.user, pk)
    return HttpResponse(pdf.render_folder_html(review, internal=False, language=review.language))


# Lists of the workspace: agenda, topics, market data, projects, agreements ----------------

# area: (form, its name in the context); the area is also the form's prefix, so that the
# forms of one page never share an input id (an edit form's prefix adds the row's id).
ADDERS = {
    "agenda": (AgendaItemForm, "agenda_form"),
    "topics": (TopicForm, "topic_form"),
    "market": (MarketFigureForm, "market_form"),
    "projects": (ProjectForm, "project_form"),
    "agreements": (AgreementForm, "agreement_form"),
}
MODELS: dict[
    str, type[AgendaItem] | type[Topic] | type[MarketFigure] | type[JointProject] | type[Agreement]
] = {
    "agenda": AgendaItem,
    "topics": Topic,
    "market": MarketFigure,
    "projects": JointProject,
    "agreements": Agreement,
}


def _save(
    request: AuthedHttpRequest, review: AnnualReview, area: str, data: dict, item=None
) -> None:
    """Add a row (`item` None) or change one, through the same services as the API."""
    actor = request.user
    if area == "agenda":
        services.agenda_item_save(actor=actor, review=review, item=item, **data)
    elif area == "topics":
        services.topic_save(actor=actor, review=review, topic=item, **data)
    elif area == "market":
        services.market_figure_save(actor=actor, review=review, row=item, **data)
    elif area == "projects":
        services.project_save(actor=actor, review=review, project=item, **data)
    elif item is None:
        services.agreement_add(actor=actor, review=review, **data)
    else:
        services.agreement_update(actor=actor, agreement=item, **data)


def _row(review: AnnualReview, area: str, item_id: int):
    if area not in MODELS:
        raise Http404
    item = MODELS[area].objects.filter(review=review, pk=item_id).first()
    if item is None:
        raise Http404
    item.review = review
    return item


def _edit_form(area: str, item, data=None):
    form_class, _name = ADDERS[area]
    prefix = f"{area}-{item.pk}"
    if area == "agreements":
        initial = {"text": item.text, "owner": item.owner_id, "due_on": item.due_on}
        return form_class(data, prefix=prefix, initial=initial)
    return form_class(data, prefix=prefix, instance=item)


@login_required
def area_view(request: AuthedHttpRequest, pk: int, area: str) -> HttpResponse:
    """One area of the workspace as it is (what "Cancel" on an edit form loads)."""
    if area not in ADDERS:
        raise Http404
    selectors.get_review_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('reviews:detail', args=[pk])}#review-{area}")
    return _respond(request, pk, area)


@login_required
@require_POST
def item_add(request: AuthedHttpRequest, pk: int, area: str) -> HttpResponse:
    if area not in ADDERS:
        raise Http404
    review = _editable_review(request, pk)
    form_class, name = ADDERS[area]
    form = form_class(request.POST, prefix=area)
    if form.is_valid():
        try:
            _save(request, review, area, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _respond(request, pk, area)
    return _respond(request, pk, area, status=422, **{name: form})


@login_required
def item_edit(request: AuthedHttpRequest, pk: int, area: str, item_id: int) -> HttpResponse:
    """GET: the area with this row as a form in its place; POST: save it, or the same form
    again with its errors (422)."""
    review = _editable_review(request, pk)
    item = _row(review, area, item_id)
    if request.method != "POST":
        return _respond(request, pk, area, editing=(area, item.pk, _edit_form(area, item)))
    form = _edit_form(area, item, request.POST)
    if form.is_valid():
        try:
            _save(request, review, area, form.cleaned_data, item=item)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The change was saved."))
            return _respond(request, pk, area)
    return _respond(request, pk, area, status=422, editing=(area, item.pk, form))


@login_required
@require_POST
def item_delete(request: AuthedHttpRequest, pk: int, area: str, item_id: int) -> HttpResponse:
    review = _editable_review(request, pk)
    item = _row(review, area, item_id)
    if area == "agreements":
        services.agreement_delete(actor=request.user, agreement=item)
    else:
        services.item_delete(actor=request.user, item=item)
    return _respond(request, pk, area)


@login_required
@require_POST
def agenda_move(request: AuthedHttpRequest, pk: int, item_id: int) -> HttpResponse:
    review = _editable_review(request, pk)
    item = review.agenda.select_related("review__account").filter(pk=item_id).first()
    if item is None:
        raise Http404
    services.agenda_item_move(actor=request.user, item=item, up=request.POST.get("up") == "1")
    return _respond(request, pk, "agenda")


@login_required
@require_POST
def market_copy(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _editable_review(request, pk)
    try:
        copied = services.market_data_copy_from_last_year(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _respond(request, pk, "market", status=422)
    messages.success(request, _("%(count)s rows copied from last year.") % {"count": copied})
    return _respond(request, pk, "market")


@login_required
@require_POST
def review_follow_up(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _editable_review(request, pk)
    try:
        created = services.review_follow_up(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _respond(request, pk, "projects", status=422)
    messages.success(
        request,
        _("%(count)s objectives added to next year's action plan.") % {"count": created},
    )
    return _respond(request, pk, "projects")


# The presentation folder ------------------------------------------------------------------


@login_required
@require_POST
def folder_render(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for(request.user, pk)
    form = RenderForm(request.POST)
    internal = form.is_valid() and form.cleaned_data["internal"]
    version, new = services.folder_request(actor=request.user, review=review, internal=internal)
    if version.queue_refused:  # recorded; beat queues it once Redis is back
        messages.warning(request, str(queue.QUEUE_UNAVAILABLE))
    elif not new:
        messages.info(request, _("Version %(number)s is still being rendered.") % {
            "number": version.number
        })  # fmt: skip
    return _respond(request, pk, "versions", status=202 if new else 200)


@login_required
def folder_versions(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The versions list; the page polls it while a render runs."""
    return _respond(request, pk, "versions")


@login_required
@require_POST
def version_delete(request: AuthedHttpRequest, pk: int, version_id: int) -> HttpResponse:
    review = _editable_review(request, pk)
    version = review.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404
    version.review = review
    try:
        services.version_delete(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _respond(request, pk, "versions", status=422)
    messages.success(request, _("Version %(number)s was deleted.") % {"number": version.number})
    return _respond(request, pk, "versions")


@login_required
def folder_download(
    request: AuthedHttpRequest, pk: int, version_id: int
) -> FileResponse | HttpResponseRedirect:
    review = selectors.get_review_for(request.user, pk)
    version = review.versions.filter(pk=version_id, status=FolderVersion.Status.DONE).first()
    if version is None:
        raise Http404
    version.review = review
    return attachment_response(
        version.file, filename=version.download_name(), content_type="application/pdf"
    )


@login_required
def branding_edit(request: AuthedHttpRequest) -> HttpResponse:
    """The folder's branding, for administrators only (everyone else gets 404)."""
    if not branding.may_edit(request.user):
        raise Http404
    row = branding.current()
    if request.method == "POST":
        form = BrandingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                branding.branding_update(actor=request.user, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Branding saved."))
                return redirect("reviews:branding")
    else:
        form = BrandingForm(
            initial={
                "company_name": row.company_name,
                "address": row.address,
                "primary_colour": row.primary_colour,
                "accent_colour": row.accent_colour,
            }
        )
    return render_page(
        request,
        "reviews/branding.html",
        {"nav": "reviews", "form": form, "brand": branding.brand()},
    )
