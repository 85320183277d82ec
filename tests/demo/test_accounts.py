"""The demo data of `manage.py seed_demo`: complete, repeatable and telling the stories the
pages need (groups abroad, a dominant customer, gaps in the buying center)."""

import calendar
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.access import visible_accounts
from accounts.demo import (
    DOMINANT_ACCOUNT,
    KEY_PLAYER_LEFT_ACCOUNT,
    NO_DECISION_MAKER_ACCOUNT,
    PRODUCT_LINES,
    demo_plan,
)
from accounts.models import (
    Account,
    Contact,
    ProductLine,
    ProfileSection,
    TeamMembership,
    YearlyFigures,
)
from accounts.relationship_map import relationship_map
from contracts.models import Contract
from reminders.models import Reminder
from users.models import User


@pytest.fixture
def seeded(demo_users):
    return None


def _counts() -> dict[str, int]:
    return {
        "accounts": Account.objects.count(),
        "contacts": Contact.objects.count(),
        "figures": YearlyFigures.objects.count(),
        "profile": ProfileSection.objects.count(),
        "team": TeamMembership.objects.count(),
        "product_lines": ProductLine.objects.count(),
        "account_history": Account.history.count(),
        "contact_history": Contact.history.count(),
        "figures_history": YearlyFigures.history.count(),
        "users": User.objects.count(),
    }


def test_running_twice_creates_nothing_new(seeded):
    first = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == first
    assert f"{first['accounts']} accounts" in out.getvalue()


def test_the_plan_is_the_same_on_every_run():
    assert demo_plan() == demo_plan()


def test_portfolio_is_broad(seeded):
    accounts = Account.objects.all()
    assert accounts.count() >= 25
    assert set(accounts.values_list("status", flat=True)) == set(Account.Status.values)
    assert set(accounts.values_list("tier", flat=True)) == set(Account.Tier.values)
    assert Account.CustomerType.PUBLIC in set(accounts.values_list("customer_type", flat=True))
    assert {"Deutschland Süd", "Deutschland Nord"} <= set(accounts.values_list("region", flat=True))
    assert accounts.values("country").distinct().count() >= 8
    assert all(account.external_id.startswith("DEMO-") for account in accounts)
    # Owners are the two key account managers; the sales rep owns nothing.
    assert set(accounts.values_list("owner__username", flat=True)) == {"kam", "kam2"}
    assert set(ProductLine.objects.values_list("name", flat=True)) == set(PRODUCT_LINES)
    assert accounts.filter(product_lines__isnull=False).distinct().count() >= 20


def test_paths_are_kept_by_the_services(seeded):
    for account in Account.objects.select_related("parent"):
        parent_path = account.parent.path if account.parent else "/"
        assert account.path == f"{parent_path}{account.pk}/"


def test_two_groups_have_subsidiaries_in_three_countries_or_more(seeded):
    international_groups = []
    for root in Account.objects.filter(parent=None):
        below = Account.objects.filter(path__startswith=root.path).exclude(pk=root.pk)
        if len(set(below.values_list("country", flat=True))) >= 3:
            international_groups.append(root)
    assert len(international_groups) >= 2
    # One subsidiary has a subsidiary of its own (the rental fleet of the US company).
    assert Account.objects.filter(parent__parent__isnull=False).exists()


def test_every_key_account_has_five_contacts_or_more(seeded):
    key_accounts = Account.objects.filter(status=Account.Status.KEY_ACCOUNT)
    assert key_accounts.count() >= 5
    for account in key_accounts:
        assert 5 <= account.contacts.count() <= 15, account
    for account in Account.objects.exclude(status=Account.Status.PROSPECT):
        assert account.contacts.count() >= 5, account


def test_contacts_are_realistic(seeded):
    contacts = Contact.objects.all()
    assert all("@" in c.email and c.email.endswith(".example") for c in contacts)
    assert contacts.filter(reports_to__isnull=False).count() > contacts.count() / 2
    assert set(contacts.values_list("buying_role", flat=True)) >= {
        Contact.BuyingRole.DECISION_MAKER,
        Contact.BuyingRole.CHAMPION,
        Contact.BuyingRole.ECONOMIC_BUYER,
    }
    assert {1, 5} <= set(contacts.values_list("relationship_strength", flat=True))
    assert contacts.filter(relationship_owner__username="vertrieb").exists()
    # A subsidiary's top person reports into the group.
    assert contacts.filter(reports_to__isnull=False).exclude(reports_to__account=F("account"))


def test_sales_rep_sees_only_their_team_accounts_and_subsidiaries(seeded):
    rep = User.objects.get(username="vertrieb")
    team_paths = list(Account.objects.filter(team__user=rep).values_list("path", flat=True))
    assert len(team_paths) >= 3
    assert TeamMembership.objects.filter(user=rep, can_edit=False).exists()
    assert TeamMembership.objects.filter(user=rep, can_edit=True).exists()
    expected = {
        account.pk
        for account in Account.objects.all()
        if any(account.path.startswith(path) for path in team_paths)
    }
    visible = set(visible_accounts(rep).values_list("pk", flat=True))
    assert visible == expected
    assert len(visible) > len(team_paths)  # a subsidiary below a team account
    assert len(visible) < Account.objects.count()


def test_head_of_sales_sees_all(seeded):
    head = User.objects.get(username="leitung")
    assert visible_accounts(head).count() == Account.objects.count()


def test_relationship_map_shows_the_gaps(seeded):
    planned = Account.objects.get(external_id=NO_DECISION_MAKER_ACCOUNT)
    codes = [code for code, _message in relationship_map(planned).gaps]
    assert "no_decision_maker" in codes

    account = Account.objects.get(external_id=KEY_PLAYER_LEFT_ACCOUNT)
    rmap = relationship_map(account)
    assert "key_player_left" in [code for code, _message in rmap.gaps]
    (left,) = rmap.departed_key_players
    assert left.left_on < timezone.localdate()
    assert not left.is_active
    # The acting successor took over the team of the one who left.
    assert not left.direct_reports.exists()


def test_three_years_of_figures_and_one_dominant_customer(seeded):
    year = timezone.localdate().year
    years = set(YearlyFigures.objects.values_list("year", flat=True))
    assert years == {year - 2, year - 1, year}
    for account in Account.objects.exclude(status=Account.Status.PROSPECT):
        assert account.figures.count() == 3, account
    figures = YearlyFigures.objects.filter(year=year)
    total = sum(f.revenue for f in figures)
    dominant = figures.get(account__external_id=DOMINANT_ACCOUNT)
    assert isinstance(dominant.revenue, Decimal)
    assert dominant.revenue * 2 > total  # more than half: concentration risk
    assert all(f.revenue_potential for f in figures)


def test_key_accounts_have_a_written_profile(seeded):
    for account in Account.objects.filter(status=Account.Status.KEY_ACCOUNT):
        kinds = set(account.profile_sections.values_list("kind", flat=True))
        assert {"strategy", "market_position", "finances", "organisation"} <= kinds, account
    section = ProfileSection.objects.get(
        account__external_id=DOMINANT_ACCOUNT, kind=ProfileSection.Kind.STRATEGY
    )
    assert "Elektroantriebe" in section.text
    assert section.updated_by.username == "kam"


def test_history_records_who_created_the_data(seeded):
    account = Account.objects.get(external_id=DOMINANT_ACCOUNT)
    (created,) = account.history.filter(history_type="+")
    assert created.history_user.username == "kam"


def test_demo_shows_a_month_end_renewal_and_a_snoozed_reminder(seeded):
    contract = Contract.objects.get(number="KV-003-Q")
    assert contract.end_on.day == 30 and contract.renewal_term_months == 3
    term_end = contract.current_term_end
    assert term_end.day == calendar.monthrange(term_end.year, term_end.month)[1]
    snoozed = Reminder.objects.filter(snoozed_until__isnull=False).select_related("recipient")
    assert snoozed.exists()
    assert "kam" in {reminder.recipient.username for reminder in snoozed}
