from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from users import profile_sections
from users.forms import ApiTokenForm, LanguageForm, ProfileForm
from users.models import User
from users.services import (
    api_token_create,
    api_token_revoke,
    user_set_language,
    user_update_profile,
)


class SignedInRequest(HttpRequest):
    """The request of a view behind `login_required`, typed for mypy: a real user, and
    `request.htmx` from django_htmx's middleware. The same as `kam.http.AuthedHttpRequest`,
    declared here because users sits below kam."""

    user: User
    htmx: HtmxDetails


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """Shown by django-axes instead of the sign-in form once a name is throttled."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "users/locked_out.html", {"minutes": minutes}, status=429)


def _remember_language(response: HttpResponse, language: str) -> None:
    """The cookie keeps the choice for the sign-in page, before anyone is signed in."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        _remember_language(response, language)
    return response


@login_required
def profile(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=user, **form.service_fields())
        messages.success(request, _("Your profile was saved."))
        response = redirect("profile")
        _remember_language(response, user.language)
        return response
    context = {
        "form": form,
        "token_form": ApiTokenForm(),
        "tokens": user.api_tokens.all(),
        "sections": profile_sections.sections_for(user),
    }
    return render(request, "users/profile.html", context)


@login_required
@require_POST
def token_create(request: SignedInRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    new_key = None
    if form.is_valid():
        _token, new_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return _tokens_partial(request, form, new_key=new_key, status=200 if new_key else 422)


@login_required
@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    # Another user's token (or one already revoked) is not there for this user: 404.
    if not api_token_revoke(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("The token was revoked."))
    return _tokens_partial(request, ApiTokenForm())


def _tokens_partial(
    request: SignedInRequest,
    token_form: ApiTokenForm,
    *,
    new_key: str | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": ProfileForm(instance=request.user),
        "token_form": token_form,
        "tokens": request.user.api_tokens.all(),
        "new_key": new_key,
        "sections": profile_sections.sections_for(request.user),
    }
    # An htmx request gets the token list only; a plain POST (no JavaScript) the whole page.
    # (users sits below kam, so kam.htmx.render_page is not available here.)
    wants_partial = request.htmx and not request.htmx.history_restore_request
    name = "users/profile.html#tokens" if wants_partial else "users/profile.html"
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
