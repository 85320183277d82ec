"""The webhooks page for administrators: endpoints, their secret (shown once), the
delivery log and "send again". Everyone else gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kam.fields import as_fields
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from webhooks import services
from webhooks.catalog import EVENT_TYPES
from webhooks.fields import EndpointFields
from webhooks.models import Attempt, Endpoint, Message

LOG_LENGTH = 50


class EndpointForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https")
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=list(EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def service_fields(self) -> EndpointFields:
        return as_fields(EndpointFields, self.cleaned_data)


def _require_manager(request: AuthedHttpRequest) -> None:
    if not services.may_manage(request.user):
        raise Http404


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    _require_manager(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _detail(request, endpoint, secret=secret, status=201)
    context = {
        "form": form,
        "endpoints": Endpoint.objects.select_related("owner").order_by("pk"),
        "nav": "webhooks",
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, "webhooks/index.html", context, status=status)


def _detail(
    request: AuthedHttpRequest,
    endpoint: Endpoint,
    *,
    form: EndpointForm | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = EndpointForm(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "event_types": endpoint.event_types,
                "active": endpoint.active,
            }
        )
    log = (
        Message.objects.filter(endpoint=endpoint)
        .order_by("-pk")
        .prefetch_related(Prefetch("attempt_log", Attempt.objects.order_by("pk")))[:LOG_LENGTH]
    )
    context = {
        "endpoint": endpoint,
        "form": form,
        "secret": secret,
        "log": log,
        "event_labels": [EVENT_TYPES.get(name, name) for name in endpoint.event_types],
        "nav": "webhooks",
    }
    return render_page(request, "webhooks/detail.html", context, status=status)


@login_required
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = services.endpoint_for(request.user, pk)
    if request.method != "POST":
        return _detail(request, endpoint)
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            services.endpoint_update(actor=request.user, endpoint=endpoint, **form.service_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhooks:detail", pk=endpoint.pk)
    endpoint.refresh_from_db()
    return _detail(request, endpoint, form=form, status=400)


@login_required
@require_POST
def rotate_secret(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = services.endpoint_for(request.user, pk)
    secret = services.endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
    return _detail(request, endpoint, secret=secret)


@login_required
@require_POST
def delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = services.endpoint_for(request.user, pk)
    services.endpoint_delete(actor=request.user, endpoint=endpoint)
    messages.success(request, _("The endpoint was deleted."))
    return redirect("webhooks:index")


@login_required
@require_POST
def redeliver(request: AuthedHttpRequest, pk: int, message_pk: int) -> HttpResponse:
    endpoint = services.endpoint_for(request.user, pk)
    message = get_object_or_404(Message, endpoint=endpoint, pk=message_pk)
    services.message_redeliver(actor=request.user, message=message)
    messages.success(request, _("The message will be sent again."))
    return redirect("webhooks:detail", pk=endpoint.pk)
