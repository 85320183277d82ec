from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_scoped_or_404
from activities.models import Activity
from calendars import feed as calendar_feed
from calendars import invitations, services
from calendars.forms import TimeZoneForm
from calendars.models import CalendarFeed
from kam.http import AuthedHttpRequest
from reviews.models import AnnualReview


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed at its secret address (no sign-in: calendar programs cannot sign in);
    an unknown or renewed token, or a deactivated user, gets 404."""
    record = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if record is None:
        raise Http404
    body = calendar_feed.feed_for(record, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kam-crm.ics"'
    return response


@login_required
@require_POST
def renew(request: AuthedHttpRequest) -> HttpResponse:
    services.feed_renew(user=request.user)
    messages.success(
        request, _("Your calendar has a new address. Subscribe to it again in your calendar.")
    )
    return redirect("profile")


@login_required
@require_POST
def time_zone(request: AuthedHttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST)
    if form.is_valid():
        services.feed_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, _("The time zone of your calendar was saved."))
    else:
        messages.error(request, _("Choose a time zone from the list."))
    return redirect("profile")


def _record(request: AuthedHttpRequest, kind: str, pk: int) -> Activity | AnnualReview:
    queryset = Activity.objects.all() if kind == "activity" else AnnualReview.objects.all()
    return get_scoped_or_404(request.user, queryset.select_related("account"), pk)


@login_required
@require_GET
def invitation(request: AuthedHttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record(request, kind, pk)
    body = invitations.invitation_ics(
        record, organizer=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invitation-{kind}-{pk}.ics"'
    return response


@login_required
@require_POST
def invitation_send(request: AuthedHttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record(request, kind, pk)
    services.invitation_send(actor=request.user, record=record)
    count = len(invitations.attendees(record))
    if count:
        text = ngettext(
            "The invitation is being sent to %(count)s participant.",
            "The invitation is being sent to %(count)s participants.",
            count,
        )
        messages.success(request, text % {"count": count})
    else:
        messages.warning(request, _("No participant has an e-mail address: nothing was sent."))
    return redirect(f"{'activities' if kind == 'activity' else 'reviews'}:detail", pk)
