"""Reads for coaching plans and the briefing sheet. Each starts from the access scope."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.access import get_scoped_or_404, scoped, visible_participants
from accounts.models import Account, Contact, YearlyFigures
from accounts.relationship_map import relationship_map
from accounts.selectors import current_year
from activities.models import Activity
from customer_care.selectors import open_issues_for_account
from deals.models import Opportunity, OpportunityCompetitor
from planning.models import BriefingConfirmation, CoachingMaterial, CoachingPlan, CoachingSession
from users.models import User

LAST_CONTACTS = 5
PEOPLE_ORDER = ("last_name", "first_name", "username")
ROLE_ORDER = {role: index for index, role in enumerate(Contact.BuyingRole.values)}


def plan_list(user) -> QuerySet[CoachingPlan]:
    """Plans of the accounts the user may see: account and creator preloaded, the reps
    prefetched, and the numbers of materials, sessions and confirmations annotated (three
    queries for any number of plans)."""
    return scoped(user, plans())


def plans() -> QuerySet[CoachingPlan]:
    """Every plan, preloaded and annotated as plan_list has them (not scoped: for
    accounts.access.get_editable_or_404, which scopes)."""
    return (
        CoachingPlan.objects.select_related("account", "account__owner", "created_by")
        .prefetch_related(Prefetch("reps", queryset=User.objects.order_by(*PEOPLE_ORDER)))
        .annotate(
            material_count=Count("materials", distinct=True),
            session_count=Count("sessions", distinct=True),
            confirmation_count=Count("confirmations", distinct=True),
        )
        .order_by("account__name", "title", "pk")
    )


def get_plan_for(user, pk) -> CoachingPlan:
    """One plan of an account in the user's scope (as plan_list has it); 404 otherwise."""
    return get_scoped_or_404(user, plan_list(user), pk)


def plans_of_account(user, account: Account) -> QuerySet[CoachingPlan]:
    return plan_list(user).filter(account=account)


def plan_ids_confirmed_by(user, plan_ids) -> set[int]:
    return set(
        BriefingConfirmation.objects.filter(rep=user, plan_id__in=list(plan_ids)).values_list(
            "plan_id", flat=True
        )
    )


def eligible_people(account: Account) -> QuerySet[User]:
    """Active users who may see the account through its team or ownership, on the account
    itself or on a group account above it: the choices for reps and participants."""
    ancestor_ids = [int(part) for part in account.path.strip("/").split("/") if part.isdigit()]
    ancestor_ids = ancestor_ids or [account.pk]
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(account_memberships__account_id__in=ancestor_ids)
            | Q(owned_accounts__id__in=ancestor_ids)
        )
        .distinct()
        .order_by(*PEOPLE_ORDER)
    )


def materials_of(plan: CoachingPlan) -> QuerySet[CoachingMaterial]:
    return plan.materials.select_related("uploaded_by").order_by("title", "pk")


def get_material_for(user, plan_pk, material_pk) -> CoachingMaterial:
    """A material of a plan in the user's scope; 404 for everyone else."""
    plan = get_plan_for(user, plan_pk)
    material = plan.materials.filter(pk=material_pk).first()
    if material is None:
        raise Http404
    material.plan = plan
    return material


def sessions_of(plan: CoachingPlan) -> QuerySet[CoachingSession]:
    """Newest first, participants prefetched (two queries)."""
    return plan.sessions.prefetch_related(
        Prefetch("participants", queryset=User.objects.order_by(*PEOPLE_ORDER))
    ).order_by("-held_at", "-pk")


@dataclass
class RepStatus:
    rep: User
    confirmation: BriefingConfirmation | None

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None


def confirmation_status(plan: CoachingPlan) -> list[RepStatus]:
    """Every rep of the plan with their confirmation or None; uses the prefetched reps of
    plan_list and one query for the confirmations."""
    confirmations = {c.rep_id: c for c in plan.confirmations.all()}
    return [RepStatus(rep, confirmations.get(rep.pk)) for rep in plan.reps.all()]


@dataclass
class BriefingSheet:
    plan: CoachingPlan
    account: Account
    year: int
    figures: YearlyFigures | None
    contacts: list[Contact]
    gaps: list[tuple[str, str]]
    issues: list
    opportunities: list[Opportunity]
    activities: list[Activity]
    dos: list[str] = field(default_factory=list)
    donts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def split_dos_and_donts(text: str) -> tuple[list[str], list[str], list[str]]:
    """One item per line. A line starting with "+" or "Do:" is a do, one starting with "-",
    "Don't:" or "Nicht:" a don't; anything else is kept as a plain note."""
    dos, donts, notes = [], [], []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        lower = line.lower()
        for prefix in ("don't:", "don’t:", "dont:", "nicht:", "-", "–"):
            if lower.startswith(prefix):
                donts.append(line[len(prefix) :].strip())
                break
        else:
            for prefix in ("do:", "+"):
                if lower.startswith(prefix):
                    dos.append(line[len(prefix) :].strip())
                    break
            else:
                notes.append(line)
    return dos, donts, notes


def briefing_sheet(plan: CoachingPlan, *, viewer: User) -> BriefingSheet:
    """Everything a rep needs before a meeting, in a constant number of queries: this year's
    figures, the active buying center, its gaps, open issues, open opportunities with their
    competitors, and the last contacts with the participants the viewer may see. The
    caller fetched the plan through the scope (with its account)."""
    account = plan.account
    year = current_year()
    figures = YearlyFigures.objects.filter(account=account, year=year).first()
    contacts = list(
        Contact.objects.filter(account=account, is_active=True)
        .select_related("relationship_owner")
        .order_by("last_name", "first_name", "pk")
    )
    # The buying center in the order of its roles (decision maker first); no role last.
    contacts.sort(key=lambda c: ROLE_ORDER.get(c.buying_role, len(ROLE_ORDER)))
    gaps = relationship_map(account).gaps
    issues = list(open_issues_for_account(account))
    opportunities = list(
        Opportunity.objects.filter(account=account, stage__is_won=False, stage__is_lost=False)
        .select_related("stage", "owner")
        .prefetch_related(
            Prefetch(
                "competitor_links",
                queryset=OpportunityCompetitor.objects.select_related("competitor"),
            )
        )
        .order_by("expected_close_date", "pk")
    )
    activities = list(
        Activity.objects.filter(account=account)
        .prefetch_related(
            Prefetch("users", queryset=User.objects.order_by(*PEOPLE_ORDER)),
            visible_participants(viewer),
        )
        .order_by("-occurred_at", "-pk")[:LAST_CONTACTS]
    )
    dos, donts, notes = split_dos_and_donts(plan.dos_and_donts)
    return BriefingSheet(
        plan=plan,
        account=account,
        year=year,
        figures=figures,
        contacts=contacts,
        gaps=gaps,
        issues=issues,
        opportunities=opportunities,
        activities=activities,
        dos=dos,
        donts=donts,
        notes=notes,
    )
