"""The Timeline tab of a group: every source (activities, done follow-ups, deals, issues,
contracts, plans) adds its entries in a fixed number of queries, so the tab costs the same
for a quiet group and for a busy one with many subsidiaries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services as activity_services
from customer_care import services as care_services
from customer_care.models import Department, ensure_default_departments
from tests.activities.conftest import follow_up, log
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}


def fill(group, subsidiaries, n: int) -> None:
    for member in [group, *subsidiaries]:
        for i in range(n):
            log(member, subject=f"Gespräch {member.pk}-{i}", days_ago=i + 1)
            make_opportunity(account=member, stage="won", title=f"Auftrag {member.pk}-{i}")
            care_services.issue_create(
                actor=member.owner,
                account=member,
                title=f"Fall {member.pk}-{i}",
                kind="complaint",
                severity="high",
                department=Department.objects.get(key="quality"),
            )
        done = follow_up(member, title=f"Erledigt {member.pk}")
        activity_services.follow_up_complete(actor=member.owner, follow_up=done)


def timeline_queries(client, group) -> tuple[int, str]:
    url = reverse("activities:account_panel", args=[group.pk])
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url, **HTMX).content.decode()
    return len(captured), html


def test_a_busy_groups_timeline_takes_no_more_queries_than_a_quiet_one(kam, kam_client):
    ensure_default_stages()
    ensure_default_departments()
    group = make_account(owner=kam, name="Konzern AG")
    subsidiaries = [make_account(owner=kam, name=f"Tochter {n}", parent=group) for n in range(2)]
    fill(group, subsidiaries[:1], 1)
    quiet, quiet_html = timeline_queries(kam_client, group)

    more = [make_account(owner=kam, name=f"Enkel {n}", parent=subsidiaries[1]) for n in range(3)]
    fill(group, [*subsidiaries, *more], 4)
    busy, busy_html = timeline_queries(kam_client, group)

    assert quiet_html.count('class="timeline-entry"') < busy_html.count('class="timeline-entry"')
    assert busy == quiet
    assert busy <= 18
