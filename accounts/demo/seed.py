"""The demo plan assembled (pure, with a fixed random seed) and written through the
account services."""

import random
from datetime import date, timedelta

from django.utils import timezone

from accounts import services
from accounts.access import can_edit_account
from accounts.demo.companies import ACCOUNTS, PRODUCT_LINES
from accounts.demo.contacts import plan_contacts
from accounts.demo.figures import make_dominant, plan_figures
from accounts.demo.plans import AccountPlan
from accounts.demo.profiles import plan_profile
from accounts.models import Account, Contact, ProductLine
from kam.history import authored_by
from users.models import User

SEED = 2026


def demo_plan(today: date | None = None) -> list[AccountPlan]:
    """All demo data, parents before subsidiaries. Pure: the same input gives the same plan."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    plans = [AccountPlan(spec) for spec in ACCOUNTS]
    used_names: set[tuple] = set()
    for plan in plans:
        plan.contacts = plan_contacts(rng, plan.spec, today, used_names)
        plan.figures = plan_figures(rng, plan.spec, today.year)
    make_dominant(plans, today.year)
    for plan in plans:
        plan.profile = plan_profile(rng, plan, today.year)
    return plans


def seed_accounts(users: dict[str, User]) -> int:
    """Create the demo accounts that do not exist yet; return how many demo accounts exist."""
    lines = {name: ProductLine.objects.get_or_create(name=name)[0] for name in PRODUCT_LINES}
    plans = demo_plan()
    wanted = [plan.spec.external_id for plan in plans]
    existing = {
        str(account.external_id): account
        for account in Account.objects.filter(external_id__in=wanted)
    }
    for plan in plans:
        if plan.spec.external_id not in existing:
            existing[plan.spec.external_id] = _create(plan, users, lines, existing)
    return len(wanted)


def _create(
    plan: AccountPlan,
    users: dict[str, User],
    lines: dict[str, ProductLine],
    accounts: dict[str, Account],
) -> Account:
    spec = plan.spec
    owner = users[spec.owner]
    parent = accounts[spec.parent] if spec.parent else None
    # A subsidiary is created by whoever may change the group: its owner or the admin.
    creator = owner if parent is None or can_edit_account(owner, parent) else users["admin"]
    with authored_by(creator):
        account = services.account_create(
            actor=creator,
            product_lines=[lines[name] for name in spec.lines],
            name=spec.name,
            legal_name=spec.legal_name,
            external_id=spec.external_id,
            parent=parent,
            industry=spec.industry,
            customer_type=spec.customer_type,
            country=spec.country,
            city=spec.city,
            region=spec.region,
            website=f"https://www.{spec.domain}",
            status=spec.status,
            tier=spec.tier,
            owner=owner,
            individual_requirements=spec.individual,
        )
    with authored_by(owner):
        for user, role, can_edit in spec.team:
            services.team_member_set(
                actor=owner, account=account, user=users[user], role=role, can_edit=can_edit
            )
        group_top = _top_contact(parent) if parent else None
        created: list[Contact] = []
        for contact in plan.contacts:
            manager = created[contact.manager] if contact.manager is not None else None
            if contact.group_manager:
                manager = group_top
            created.append(
                services.contact_create(
                    actor=owner,
                    account=account,
                    first_name=contact.first_name,
                    last_name=contact.last_name,
                    job_title=contact.job_title,
                    department=contact.department,
                    email=contact.email,
                    phone=contact.phone,
                    mobile=contact.mobile,
                    preferred_language=contact.preferred_language,
                    reports_to=manager,
                    buying_role=contact.buying_role,
                    influence=contact.influence,
                    attitude=contact.attitude,
                    relationship_strength=contact.relationship_strength,
                    relationship_owner=users[contact.relationship_owner]
                    if contact.relationship_owner
                    else None,
                    is_active=contact.left_on is None,
                    left_on=contact.left_on,
                    legal_basis=contact.legal_basis,
                    consent_on=contact.consent_on,
                )
            )
        for year, values in sorted(plan.figures.items()):
            services.figures_put(
                actor=owner,
                account=account,
                year=year,
                actuals_as_of=_actuals_as_of(year),
                **values,
            )
        for kind, text in plan.profile.items():
            services.profile_section_update(actor=owner, account=account, kind=kind, text=text)
    return account


def _actuals_as_of(year: int) -> date:
    """The ERP books monthly: past years are complete, this year stands at the end of last
    month (deals won since then count as won, not yet invoiced, in the forecast)."""
    today = timezone.localdate()
    if year < today.year:
        return date(year, 12, 31)
    if today.month == 1:
        return max(date(year, 1, 1), today - timedelta(days=1))
    return today.replace(day=1) - timedelta(days=1)


def _top_contact(account: Account) -> Contact | None:
    """The account's decision maker: a subsidiary's top person reports to them."""
    return (
        Contact.objects.filter(
            account=account, buying_role=Contact.BuyingRole.DECISION_MAKER, is_active=True
        )
        .order_by("pk")
        .first()
    )
