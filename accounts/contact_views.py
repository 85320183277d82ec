"""Contact pages: the list across accounts, a contact's page, and inline create/edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import duplicates, exports, gdpr, merge, selectors, services
from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    get_contact_for,
    get_editable_or_404,
    is_visible_contact_id,
    visible_contacts,
)
from accounts.filters import ContactFilter
from accounts.forms import ContactEraseForm, ContactForm, ContactLeftForm
from accounts.models import Contact, Merge
from accounts.views import _render_tab
from kam import export
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import BoundedPaginator

PAGE_SIZE = 50


@login_required
def contact_list(request: AuthedHttpRequest) -> HttpResponse:
    contacts = selectors.contact_list(request.user).order_by("last_name", "first_name")
    filterset = ContactFilter(request.GET or None, queryset=contacts)
    if filterset.is_valid():
        contacts = filterset.qs
    if fmt := export.requested(request):
        return export.response(exports.CONTACTS, contacts, fmt=fmt, request=request)
    page = BoundedPaginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "contacts", "filter": filterset, "page": page, "query": query.urlencode()}
    return render_page(request, "accounts/contacts.html", context, partial="results")


@login_required
def contact_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    try:
        contact = get_contact_for(request.user, pk)
    except Http404:
        # A merged contact's page answers with the survivor's, for who may see it.
        survivor = merge.survivor_id(Merge.Kind.CONTACT, pk)
        if survivor is None or not is_visible_contact_id(request.user, survivor):
            raise
        return HttpResponsePermanentRedirect(reverse("accounts:contact_detail", args=[survivor]))
    context = {
        "nav": "contacts",
        "contact": contact,
        "account": contact.account,
        "can_edit": can_edit_account(request.user, contact.account),
        # Only people the viewer may see: a manager or report in a group account outside
        # the scope is not named.
        "manager": visible_contacts(request.user).filter(pk=contact.reports_to_id).first()
        if contact.reports_to_id is not None
        else None,
        "direct_reports": visible_contacts(request.user)
        .filter(reports_to=contact)
        .select_related("account"),
        "left_form": ContactLeftForm(),
        "may_erase": gdpr.may_erase(request.user) and contact.erased_at is None,
        "may_merge": merge.may_merge(request.user) and contact.erased_at is None,
    }
    return render_page(request, "accounts/contact_detail.html", context)


@login_required
def contact_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Inline on the account's Contacts tab (htmx), or as a page of its own."""
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    form = ContactForm(request.POST or None, account=account, user=request.user)
    candidates = []
    if request.method == "POST" and form.is_valid() and not request.POST.get("allow_duplicate"):
        # Likely duplicates are shown before saving; "Save anyway" posts the same form again.
        candidates = duplicates.contact_candidates(
            user=request.user,
            account=account,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            external_id=form.cleaned_data.get("external_id"),
        )
    if request.method == "POST" and form.is_valid() and not candidates:
        try:
            contact = services.contact_create(
                actor=request.user, account=account, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": contact.name})
            return _render_tab(request, account, "contacts")
    status = 422 if form.errors else 200
    context = {"form": form, "account": account, "nav": "contacts", "duplicates": candidates}
    response = render_page(
        request, "accounts/contact_form.html", context, partial="form", status=status
    )
    if request.htmx and (status == 422 or candidates):
        # The form was posted from the Contacts tab: show the errors in the form, not the tab.
        response["HX-Retarget"] = "#contact-form"
        response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def contact_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(request.user, Contact.objects.select_related("account"), pk)
    form = ContactForm(
        request.POST or None, instance=contact, account=contact.account, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("accounts:contact_detail", pk=contact.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "contact": contact, "account": contact.account, "nav": "contacts"}
    return render_page(request, "accounts/contact_form.html", context, status=status)


@login_required
@require_POST
def contact_left(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for(request.user, pk)
    form = ContactLeftForm(request.POST)
    if form.is_valid():
        try:
            services.contact_mark_left(
                actor=request.user, contact=contact, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(
                request,
                _("%(name)s is marked as having left the company.") % {"name": contact.name},
            )
    else:
        messages.error(request, _("Enter the date the contact left."))
    return redirect("accounts:contact_detail", pk=contact.pk)


@login_required
def contact_data(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Everything stored about the person (GDPR right of access): a readable page, or
    with `?format=json` a JSON file."""
    contact = get_contact_for(request.user, pk)
    sections = gdpr.personal_data(contact=contact, user=request.user)
    if request.GET.get("format") == "json":
        response = JsonResponse(
            gdpr.as_json(sections, contact=contact), json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response
    context = {
        "nav": "contacts",
        "contact": contact,
        "account": contact.account,
        "sections": [(s, gdpr.as_table(s)) for s in sections],
        "exported_at": timezone.now(),
    }
    page = render_page(request, "accounts/contact_data.html", context)
    page["Cache-Control"] = "no-store"
    return page


@login_required
def contact_erase(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Erase the person, keeping the statistics: a confirm step, then the erasure."""
    contact = get_contact_for(request.user, pk)
    if not gdpr.may_erase(request.user):
        raise PermissionDenied
    form = ContactEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gdpr.contact_erase(
                actor=request.user, contact=contact, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person's data was erased."))
            return redirect("accounts:contact_detail", pk=contact.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "contact": contact, "account": contact.account, "nav": "contacts"}
    return render_page(request, "accounts/contact_erase.html", context, status=status)
