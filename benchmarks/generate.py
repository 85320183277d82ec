"""Fill a database with a large, deterministic data set for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench \
        .venv/bin/python benchmarks/generate.py [--accounts 10000 --contacts 100000 --years 5]

What it creates (defaults):
- users: "bench_head" (head of sales), "bench_kam_0" … "bench_kam_199" (key account
  managers), "bench_rep_0" … "bench_rep_399" (sales reps), all with the password
  BENCH_PASSWORD;
- 10,000 accounts: about one in twenty is the root of a group with 2-10 subsidiaries, some
  groups two levels deep; the rest stand alone. "bench_kam_0" owns exactly 15 accounts
  (a two-level group of 6 plus 9 single accounts) and is on no team, so that is all they see;
- the largest group (26 accounts, two levels) is the one the benchmark opens;
- team memberships (sales reps, sometimes a second KAM), product lines, profile sections;
- 100,000 contacts with reports-to lines inside each account;
- YearlyFigures for the last 5 years (this year included) of every account.

Rows are written with bulk_create, so no history rows (simple_history) and no validation:
the script sets every derived value itself (the materialised `path` of each account).
Every generated account has an external ID starting with "BENCH-". The script refuses to run
against a database that already holds other accounts unless --force is given, and always
refuses when benchmark data is already present (drop and recreate the database instead).
"""

import argparse
import os
import random
import sys
import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import revenue_key  # noqa: E402
from accounts.models import (  # noqa: E402
    Account,
    Contact,
    ProductLine,
    ProfileSection,
    TeamMembership,
    YearlyFigures,
)
from benchmarks.bulk import insert  # noqa: E402
from users.models import Role, User  # noqa: E402

BENCH_PREFIX = "BENCH-"
BENCH_PASSWORD = "bench-password-2026"
SEED = 20260101
BATCH = 2000

FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hannes", "Ida", "Jonas",
    "Katrin", "Lukas", "Mara", "Niklas", "Olga", "Paul", "Quirin", "Rosa", "Stefan", "Tanja",
    "Uwe", "Vera", "Wolfgang", "Xenia", "Yusuf", "Zoe", "Marie", "Leon", "Sophie", "Emil",
    "Lina", "Moritz", "Frieda", "Theo", "Hanna", "Karl", "Nora", "Jan", "Eva", "Tim",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
    "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
    "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser",
    "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck",
    "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm",
    "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto",
    "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf",
]  # fmt: skip
NAME_STEMS = [
    "Adler", "Alpen", "Aurum", "Bavaria", "Bergmann", "Blau", "Boden", "Brenner", "Castell",
    "Delta", "Donau", "Eich", "Elbe", "Falk", "Fern", "Fluss", "Gold", "Granit", "Hansa",
    "Harz", "Helios", "Iser", "Jura", "Kessel", "Klar", "Kron", "Lahn", "Linden", "Main",
    "Merkur", "Mosel", "Neckar", "Nord", "Oder", "Orion", "Phönix", "Quelle", "Rhein",
    "Saale", "Silber", "Sonnen", "Spree", "Stahl", "Stern", "Süd", "Taunus", "Ulmen",
    "Vulkan", "Weser", "West", "Zeder", "Zenit",
]  # fmt: skip
NAME_TRADES = [
    "Maschinenbau", "Logistik", "Chemie", "Pharma", "Automotive", "Elektronik",
    "Lebensmittel", "Energie", "Bau", "Kunststoff", "Medizintechnik", "Textil", "Papier",
    "Metallwerke", "Anlagenbau", "Verpackung", "Handel", "Systeme", "Technik", "Werke",
]  # fmt: skip
LEGAL_FORMS = ["GmbH", "AG", "SE", "GmbH & Co. KG", "KG"]
INDUSTRIES = [
    "Maschinenbau", "Automobilzulieferer", "Chemie", "Pharma", "Lebensmittel", "Logistik",
    "Energie", "Bauwesen", "Elektronik", "Handel", "Öffentliche Verwaltung", "Gesundheit",
]  # fmt: skip
LOCATIONS = [
    ("Deutschland", "München", "Deutschland Süd"),
    ("Deutschland", "Stuttgart", "Deutschland Süd"),
    ("Deutschland", "Nürnberg", "Deutschland Süd"),
    ("Deutschland", "Hamburg", "Deutschland Nord"),
    ("Deutschland", "Bremen", "Deutschland Nord"),
    ("Deutschland", "Hannover", "Deutschland Nord"),
    ("Deutschland", "Berlin", "Deutschland Ost"),
    ("Deutschland", "Leipzig", "Deutschland Ost"),
    ("Deutschland", "Dresden", "Deutschland Ost"),
    ("Deutschland", "Köln", "Deutschland West"),
    ("Deutschland", "Düsseldorf", "Deutschland West"),
    ("Deutschland", "Frankfurt am Main", "Deutschland West"),
    ("Österreich", "Wien", "DACH"),
    ("Österreich", "Linz", "DACH"),
    ("Schweiz", "Zürich", "DACH"),
    ("Schweiz", "Basel", "DACH"),
    ("Frankreich", "Lyon", "Europa West"),
    ("Niederlande", "Rotterdam", "Europa West"),
    ("Polen", "Breslau", "Europa Ost"),
    ("Tschechien", "Brünn", "Europa Ost"),
    ("Italien", "Mailand", "Europa Süd"),
    ("USA", "Chicago", "Nordamerika"),
]
PRODUCT_LINES = [
    "Antriebstechnik", "Sensorik", "Steuerungen", "Ersatzteile", "Wartungsverträge",
    "Schulungen", "Software-Lizenzen", "Sonderanfertigungen",
]  # fmt: skip
JOB_TITLES = {
    0: ["Geschäftsführer", "Vorstand", "CEO", "Werkleiter"],
    1: ["Leiter Einkauf", "Leiter Technik", "Leiter Produktion", "CFO", "Leiter Qualität"],
    2: ["Einkäufer", "Ingenieur", "Projektleiter", "Sachbearbeiter", "Teamleiter",
        "Qualitätsmanager", "Controller", "Techniker", "Assistenz"],
}  # fmt: skip
DEPARTMENTS = ["Einkauf", "Technik", "Produktion", "Finanzen", "Qualität", "Geschäftsführung"]

STATUSES = (
    [Account.Status.PROSPECT] * 15
    + [Account.Status.POTENTIAL] * 15
    + [Account.Status.KEY_ACCOUNT] * 30
    + [Account.Status.STANDARD] * 30
    + [Account.Status.FORMER] * 10
)
TIERS = [Account.Tier.A] * 20 + [Account.Tier.B] * 35 + [Account.Tier.C] * 45
TIER_REVENUE = {"A": (2_000_000, 20_000_000), "B": (500_000, 3_000_000), "C": (50_000, 600_000)}
ROLES_MID = [
    Contact.BuyingRole.ECONOMIC_BUYER, Contact.BuyingRole.TECHNICAL_BUYER,
    Contact.BuyingRole.CHAMPION, Contact.BuyingRole.INFLUENCER, "",
]  # fmt: skip
ROLES_LOW = [
    Contact.BuyingRole.USER, Contact.BuyingRole.INFLUENCER, Contact.BuyingRole.GATEKEEPER,
    Contact.BuyingRole.TECHNICAL_BUYER, Contact.BuyingRole.CHAMPION, "", "", "",
]  # fmt: skip
TEAM_ROLES_OTHER = [
    TeamMembership.TeamRole.CUSTOMER_SERVICE, TeamMembership.TeamRole.ENGINEERING,
    TeamMembership.TeamRole.EXECUTIVE_SPONSOR, TeamMembership.TeamRole.LOGISTICS,
]  # fmt: skip


class Step:
    """Prints one line per generation step: what was created and how long it took."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.created: list[tuple[str, int, float]] = []

    def run(self, label: str, func, *args):
        """Run func(*args), which returns what it made (a count or a list of rows)."""
        start = time.perf_counter()
        result = func(*args)
        seconds = time.perf_counter() - start
        count = result if isinstance(result, int) else len(result)
        self.created.append((label, count, seconds))
        print(f"  {label:<24} {count:>9,}  {seconds:6.1f} s", flush=True)
        return result

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def batched(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk(model, objs: list, batch_size: int = BATCH) -> list:
    """COPY on PostgreSQL (benchmarks/bulk.py), bulk_create elsewhere; sets the ids."""
    for chunk in batched(objs, batch_size):
        insert(chunk, batch_size=batch_size)
    return objs


# --- Users ------------------------------------------------------------------------------


def make_users(rng: random.Random, kams: int, reps: int) -> list[User]:
    password = make_password(BENCH_PASSWORD)  # hashed once: PBKDF2 per user would take minutes

    def user(username: str, role: str) -> User:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@bench.example.com",
            role=role,
            password=password,
            language="de",
        )

    head = [user("bench_head", Role.HEAD_OF_SALES)]
    kam_users = [user(f"bench_kam_{n}", Role.KEY_ACCOUNT_MANAGER) for n in range(kams)]
    rep_users = [user(f"bench_rep_{n}", Role.SALES_REP) for n in range(reps)]
    return bulk(User, head + kam_users + rep_users)


# --- Accounts ---------------------------------------------------------------------------


class Spec:
    """One account to create: its place in the tree and who owns it."""

    __slots__ = ("parent", "depth", "owner", "group", "obj")

    def __init__(self, parent: "Spec | None", owner: User, group: int | None) -> None:
        self.parent = parent
        self.depth = 0 if parent is None else parent.depth + 1
        self.owner = owner
        self.group = group  # index of the group, None for a single account
        self.obj: Account | None = None


def plan_accounts(
    rng: random.Random, total: int, kams: list[User], huge_groups: int = 0
) -> list[Spec]:
    """The tree of accounts: bench_kam_0's 15, the big group, random groups, singles; with
    `huge_groups`, that many groups of 100-200 subsidiaries (the largest customers at
    100,000 accounts) after the random groups."""
    kam0, others = kams[0], kams[1:] or kams
    specs: list[Spec] = []

    def add(parent: Spec | None, owner: User, group: int | None) -> Spec:
        spec = Spec(parent, owner, group)
        specs.append(spec)
        return spec

    # bench_kam_0: a two-level group of 6 accounts plus 9 single accounts, 15 in all.
    root = add(None, kam0, 0)
    subs = [add(root, kam0, 0) for _ in range(4)]
    add(subs[0], kam0, 0)
    for _ in range(9):
        add(None, kam0, None)

    # The big group the benchmark opens: 10 subsidiaries, 5 of them with 3 of their own.
    owner = others[0]
    root = add(None, owner, 1)
    for n in range(10):
        sub = add(root, owner if n % 3 else rng.choice(others), 1)
        if n < 5:
            for _ in range(3):
                add(sub, sub.owner, 1)

    # Random groups: about one account in twenty is a group root, 2-10 subsidiaries each,
    # three in ten groups have 1-3 subsidiaries with 1-3 of their own (at most 20 accounts,
    # so the big group stays the biggest).
    groups = max(total // 20, 3)
    grouped_budget = int(total * 0.45)
    group = 2
    while group < groups and len(specs) < grouped_budget:
        owner = rng.choice(others)
        root = add(None, owner, group)
        subs = [
            add(root, owner if rng.random() < 0.7 else rng.choice(others), group)
            for _ in range(rng.randint(2, 10))
        ]
        if rng.random() < 0.3:
            for sub in rng.sample(subs, rng.randint(1, min(3, len(subs)))):
                for _ in range(rng.randint(1, 3)):
                    add(sub, sub.owner, group)
        group += 1
    for _ in range(huge_groups):
        owner = rng.choice(others)
        root = add(None, owner, group)
        for _ in range(rng.randint(100, 200)):
            add(root, owner if rng.random() < 0.5 else rng.choice(others), group)
        group += 1
    if len(specs) > total:
        raise SystemExit(f"--accounts {total} is too small for the planned groups; use >= 500")
    while len(specs) < total:
        add(None, rng.choice(others), None)
    return specs


def make_accounts(rng: random.Random, specs: list[Spec]) -> int:
    names_used: dict[str, int] = {}

    def company_name() -> str:
        name = f"{rng.choice(NAME_STEMS)} {rng.choice(NAME_TRADES)}"
        names_used[name] = names_used.get(name, 0) + 1
        return name if names_used[name] == 1 else f"{name} {names_used[name]}"

    for number, spec in enumerate(specs, start=1):
        country, city, region = rng.choice(LOCATIONS)
        if spec.parent is None:
            name = company_name()
            status, tier = rng.choice(STATUSES), rng.choice(TIERS)
        else:
            root = spec.parent
            while root.parent is not None:
                root = root.parent
            name = f"{root.obj.name} {city}"
            status = root.obj.status if rng.random() < 0.7 else rng.choice(STATUSES)
            tier = rng.choice(TIERS)
        if spec.group is not None and spec.parent is None:
            status, tier = Account.Status.KEY_ACCOUNT, rng.choice("AAB")
        spec.obj = Account(
            name=name,
            legal_name=f"{name} {rng.choice(LEGAL_FORMS)}",
            external_id=f"{BENCH_PREFIX}{number:06d}",
            industry=rng.choice(INDUSTRIES),
            customer_type=rng.choice(Account.CustomerType.values),
            country=country,
            city=city,
            region=region,
            website=f"https://www.bench-{number}.example.com",
            status=status,
            tier=tier,
            owner=spec.owner,
            individual_requirements=rng.random() < 0.2,
        )

    # Insert level by level: a child needs its parent's id, and the path needs its own id.
    depth = 0
    while True:
        level = [spec for spec in specs if spec.depth == depth]
        if not level:
            break
        for spec in level:
            spec.obj.parent = spec.parent.obj if spec.parent else None
        bulk(Account, [spec.obj for spec in level])
        for spec in level:
            parent_path = spec.parent.obj.path if spec.parent else "/"
            spec.obj.path = f"{parent_path}{spec.obj.pk}/"
        for chunk in batched([spec.obj for spec in level], 1000):
            Account.objects.bulk_update(chunk, ["path"])
        depth += 1
    return len(specs)


def make_team(rng: random.Random, specs: list[Spec], kams: list[User], reps: list[User]) -> int:
    """1-2 sales reps per account, sometimes a second KAM; never bench_kam_0."""
    other_kams = kams[1:]
    rows = []
    for spec in specs:
        members = rng.sample(reps, rng.randint(1, 2)) if reps else []
        for user in members:
            rows.append(
                TeamMembership(
                    account=spec.obj,
                    user=user,
                    role=TeamMembership.TeamRole.SALES_REP,
                    can_edit=rng.random() < 0.3,
                )
            )
        if other_kams and rng.random() < 0.15:
            user = rng.choice(other_kams)
            if user.pk != spec.owner.pk:
                rows.append(
                    TeamMembership(account=spec.obj, user=user, role=rng.choice(TEAM_ROLES_OTHER))
                )
    bulk(TeamMembership, rows)
    return len(rows)


def make_product_lines(rng: random.Random, specs: list[Spec]) -> int:
    lines = bulk(ProductLine, [ProductLine(name=f"Bench {name}") for name in PRODUCT_LINES])
    through = Account.product_lines.through
    rows = [
        through(account_id=spec.obj.pk, productline_id=line.pk)
        for spec in specs
        for line in rng.sample(lines, rng.randint(0, 3))
    ]
    bulk(through, rows)
    return len(lines) + len(rows)


def make_profiles(rng: random.Random, specs: list[Spec]) -> int:
    kinds = ProfileSection.Kind.values
    rows = []
    for spec in specs:
        if spec.group is not None and spec.parent is None:
            chosen = kinds
        elif spec.obj.status == Account.Status.KEY_ACCOUNT:
            chosen = rng.sample(kinds, 3)
        else:
            continue
        for kind in chosen:
            rows.append(
                ProfileSection(
                    account=spec.obj,
                    kind=kind,
                    text=f"{spec.obj.name}: {kind}. " * rng.randint(3, 12),
                    updated_by=spec.owner,
                )
            )
    bulk(ProfileSection, rows)
    return len(rows)


# --- Contacts -----------------------------------------------------------------------------


def contact_counts(rng: random.Random, specs: list[Spec], total: int) -> list[int]:
    """How many contacts each account gets: group roots about three times as many."""
    weights = [
        rng.uniform(0.4, 1.6) * (3 if spec.group is not None and spec.parent is None else 1)
        for spec in specs
    ]
    scale = total / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    difference = total - sum(counts)
    order = list(range(len(specs)))
    rng.shuffle(order)
    step = 1 if difference > 0 else -1
    i = 0
    while difference:
        index = order[i % len(order)]
        if step > 0 or counts[index] > 1:
            counts[index] += step
            difference -= step
        i += 1
    return counts


def make_contacts(rng: random.Random, specs: list[Spec], total: int, year: int) -> int:
    """Per account: one top contact, a few managers reporting to them, the rest reporting
    to a manager. Written in three passes (top, managers, staff) so that every reports_to
    points at a row that already has its id: no updates needed."""
    counts = contact_counts(rng, specs, total)
    domain = {spec.obj.pk: f"bench-{spec.obj.pk}.example.com" for spec in specs}
    today = date(year, 1, 1)

    def contact(account: Account, owner: User, level: int, boss: Contact | None) -> Contact:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        active = rng.random() < 0.92
        basis = rng.choice(Contact.LegalBasis.values)
        if level == 0:
            role = rng.choice([Contact.BuyingRole.DECISION_MAKER] * 3 + ["executive_sponsor"])
        else:
            role = rng.choice(ROLES_MID if level == 1 else ROLES_LOW)
        return Contact(
            account=account,
            first_name=first,
            last_name=last,
            job_title=rng.choice(JOB_TITLES[level]),
            department=rng.choice(DEPARTMENTS),
            email=f"{first}.{last}@{domain[account.pk]}".lower(),
            phone=f"+49 {rng.randint(30, 989)} {rng.randint(100000, 9999999)}",
            preferred_language="de" if rng.random() < 0.85 else "en",
            reports_to=boss,
            buying_role=role,
            influence=rng.choice(["high", "medium", "medium", "low"] if level else ["high"]),
            attitude=rng.choice(Contact.Attitude.values),
            relationship_strength=rng.randint(1, 5),
            relationship_owner=owner if rng.random() < 0.5 else None,
            is_active=active,
            left_on=None if active else today - timedelta(days=rng.randint(1, 1000)),
            legal_basis=basis,
            consent_on=today - timedelta(days=rng.randint(1, 1500))
            if basis == Contact.LegalBasis.CONSENT
            else None,
        )

    tops: list[Contact] = []
    for spec in specs:
        tops.append(contact(spec.obj, spec.owner, 0, None))
    bulk(Contact, tops)

    managers: list[list[Contact]] = []
    for spec, top, count in zip(specs, tops, counts, strict=True):
        managers.append(
            [
                contact(spec.obj, spec.owner, 1, top)
                for _ in range(min(count - 1, max(1, count // 5)))
            ]
        )
    bulk(Contact, [c for group in managers for c in group])

    staff: list[Contact] = []
    for spec, top, count, bosses in zip(specs, tops, counts, managers, strict=True):
        for _ in range(count - 1 - len(bosses)):
            staff.append(contact(spec.obj, spec.owner, 2, rng.choice(bosses) if bosses else top))
    bulk(Contact, staff)
    return len(tops) + sum(len(group) for group in managers) + len(staff)


# --- Figures ------------------------------------------------------------------------------


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def make_figures(rng: random.Random, specs: list[Spec], years: int, year: int) -> int:
    rows = []
    for spec in specs:
        low, high = TIER_REVENUE[spec.obj.tier]
        revenue = rng.uniform(low, high)
        prospect = spec.obj.status in (Account.Status.PROSPECT, Account.Status.POTENTIAL)
        for y in range(year - years + 1, year + 1):
            revenue *= rng.uniform(0.9, 1.15)
            actual = 0.0 if prospect else revenue
            margin = actual * rng.uniform(0.15, 0.35)
            rows.append(
                YearlyFigures(
                    account=spec.obj,
                    year=y,
                    revenue=money(actual),
                    contribution_margin=money(margin),
                    revenue_target=money(revenue * rng.uniform(0.95, 1.2)),
                    margin_target=money(revenue * 0.25),
                    revenue_potential=money(revenue * rng.uniform(1.2, 4.0)),
                )
            )
    bulk(YearlyFigures, rows)
    return len(rows)


# --- Main ---------------------------------------------------------------------------------


def check_database(force: bool) -> None:
    if (
        User.objects.filter(username="bench_head").exists()
        or Account.objects.filter(external_id__startswith=BENCH_PREFIX).exists()
    ):
        raise SystemExit(
            "Benchmark data is already present in this database. Drop and recreate the "
            "database (dropdb/createdb, then manage.py migrate) to generate it again."
        )
    others = Account.objects.exclude(external_id__startswith=BENCH_PREFIX).count()
    if others and not force:
        raise SystemExit(
            f"This database already holds {others:,} account(s) that are not benchmark data. "
            "Use an empty database for the benchmark, or --force to add to this one."
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--kams", type=int, default=200, help="key account managers")
    parser.add_argument("--reps", type=int, default=400, help="sales reps")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--huge-groups",
        type=int,
        default=0,
        help="groups of 100-200 subsidiaries on top (e.g. 10 at 100,000 accounts)",
    )
    parser.add_argument(
        "--force", action="store_true", help="run even though the database has other accounts"
    )
    args = parser.parse_args(argv)
    if args.accounts < 500 or args.kams < 2 or args.contacts < args.accounts or args.years < 1:
        parser.error("need --accounts >= 500, --kams >= 2, --contacts >= --accounts, --years >= 1")

    check_database(args.force)
    rng = random.Random(args.seed)
    year = timezone.localdate().year
    db = connection.settings_dict
    print(f"Generating benchmark data in {connection.vendor} database {db['NAME']!r} "
          f"(seed {args.seed}):", flush=True)  # fmt: skip
    steps = Step()
    with transaction.atomic():
        users = steps.run("users", make_users, rng, args.kams, args.reps)
        kams, reps = users[1 : 1 + args.kams], users[1 + args.kams :]
        specs = plan_accounts(rng, args.accounts, kams, args.huge_groups)
        steps.run("accounts", make_accounts, rng, specs)
        steps.run("team memberships", make_team, rng, specs, kams, reps)
        steps.run("product lines (+links)", make_product_lines, rng, specs)
        steps.run("profile sections", make_profiles, rng, specs)
        steps.run("contacts", make_contacts, rng, specs, args.contacts, year)
        steps.run("yearly figures", make_figures, rng, specs, args.years, year)
        # bulk_create publishes no events: the revenue sort key, as the figures services keep it.
        steps.run(
            "revenue sort keys", revenue_key.refresh, Account.objects.values_list("pk", flat=True)
        )
    if connection.vendor == "postgresql":
        # Fresh planner statistics and visibility maps, as a long-running database has.
        steps.run("vacuum analyze", vacuum_analyze)

    groups = {spec.group for spec in specs if spec.group is not None}
    grouped = sum(1 for spec in specs if spec.group is not None)
    deepest = max(spec.depth for spec in specs)
    big = next(spec for spec in specs if spec.group == 1 and spec.parent is None)
    print(
        f"Done in {steps.total:.1f} s: {len(groups)} groups holding {grouped:,} accounts "
        f"(up to {deepest} levels below the root), {len(specs) - grouped:,} single accounts.\n"
        f"Users: bench_head (head of sales), bench_kam_0..{args.kams - 1}, "
        f"bench_rep_0..{args.reps - 1}; password {BENCH_PASSWORD!r}.\n"
        f"bench_kam_0 owns {Account.objects.filter(owner=kams[0]).count()} accounts; "
        f"the biggest group is account {big.obj.pk} ({big.obj.name!r}, "
        f"{Account.objects.filter(path__startswith=big.obj.path).count()} accounts)."
    )


def vacuum_analyze() -> int:
    tables = [
        model._meta.db_table
        for model in (Account, Contact, YearlyFigures, TeamMembership, ProfileSection, User)
    ] + [Account.product_lines.through._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM ANALYZE "{table}"')
    return len(tables)


if __name__ == "__main__":
    main()
