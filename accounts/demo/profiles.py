"""The profile texts of the demo accounts (strategy, market position, requirements,
and for key accounts finances, products, organisation and competitors), written from the
planned contacts and figures."""

import random
from decimal import Decimal

from accounts.demo.companies import ACCOUNTS, PRODUCT_LINES, C, S
from accounts.demo.plans import AccountPlan, ContactPlan
from accounts.models import Contact, ProfileSection

R = Contact.BuyingRole

COMPETITORS = [
    "Kranich Antriebe GmbH", "Vento Drives S.p.A.", "Nordsensor AS", "Pacific Motion Corp.",
    "Sigma Industrieservice GmbH", "Teknova Systems Oy", "Rotor & Partner KG",
]  # fmt: skip
FINANCE_NOTES = {
    "private": [
        "Bonität sehr gut, zahlt pünktlich innerhalb von 30 Tagen.",
        "Zahlungsziel 60 Tage netto; Skonto wird konsequent gezogen.",
        "Eigenkapitalquote über 40 %, keine Zahlungsausfälle in den letzten Jahren.",
        "Ergebnis im letzten Geschäftsjahr rückläufig; das Kreditlimit wurde intern geprüft.",
    ],
    "public": [
        "Öffentlicher Haushalt: Zahlungen verlässlich, Budgets aber erst nach dem "
        "Haushaltsbeschluss frei; Aufträge über 215 T€ nur nach EU-weiter Ausschreibung.",
    ],
}


def _euros(value: Decimal) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}".replace(".", ",") + " Mio. €"
    return f"{value / 1000:.0f} T€"


def plan_profile(rng: random.Random, plan: AccountPlan, year: int) -> dict[str, str]:
    spec = plan.spec
    years = {f"y{n}": year + n for n in range(1, 6)}
    kinds = ProfileSection.Kind
    profile: dict[str, str] = {}
    if spec.strategy:
        profile[kinds.STRATEGY] = spec.strategy.format(**years)
    if spec.market_position:
        profile[kinds.MARKET_POSITION] = spec.market_position
    if spec.requirements:
        profile[kinds.REQUIREMENTS] = spec.requirements
    if spec.status != S.KEY_ACCOUNT:
        return profile

    last = plan.figures[year - 1]
    this = plan.figures[year]
    target, potential = this["revenue_target"], this["revenue_potential"]
    # A key account always has this year's target and potential (see figures.py).
    assert target is not None and potential is not None
    margin = last["contribution_margin"] * 100 / last["revenue"]
    share = this["revenue"] * 100 / potential
    notes = FINANCE_NOTES["public" if spec.customer_type == C.PUBLIC else "private"]
    profile[kinds.FINANCES] = (
        f"Umsatz mit uns {year - 1}: {_euros(last['revenue'])}, Deckungsbeitrag "
        f"{_euros(last['contribution_margin'])} ({margin:.0f} %). Ziel {year}: "
        f"{_euros(target)}. Geschätztes Umsatzpotenzial {year}: "
        f"{_euros(potential)}, unser Lieferanteil liegt bei rund "
        f"{share:.0f} %.\n\n{rng.choice(notes)}"
    )

    missing = [line for line in PRODUCT_LINES if line not in spec.lines]
    products = f"Bezieht von uns: {', '.join(spec.lines)}."
    if missing:
        products += f" Cross-Selling-Potenzial: {', '.join(missing[:2])}."
    profile[kinds.PRODUCTS] = products

    by_role: dict[str, ContactPlan] = {}
    for contact in plan.contacts:
        if contact.left_on is None:
            by_role.setdefault(contact.buying_role, contact)
    lines = []
    if spec.parent:
        parent = next(s for s in ACCOUNTS if s.external_id == spec.parent)
        lines.append(
            f"Gehört zur {parent.name}; Vergaben über 250 T€ laufen über den Konzerneinkauf."
        )
    for role, text in (
        (R.DECISION_MAKER, "entscheidet über Investitionen ab 500 T€"),
        (R.ECONOMIC_BUYER, "verantwortet Budget und Rahmenverträge"),
        (R.TECHNICAL_BUYER, "gibt technisch frei"),
        (R.CHAMPION, "setzt sich im Haus für uns ein"),
    ):
        if role in by_role:
            contact = by_role[role]
            lines.append(f"{contact.name} ({contact.job_title}) {text}.")
    profile[kinds.ORGANISATION] = " ".join(lines)

    first, second = rng.sample(COMPETITORS, 2)
    profile[kinds.COMPETITORS] = (
        f"{first} ist Zweitlieferant (geschätzt {rng.randint(15, 40)} % Anteil) und punktet "
        f"über den Preis. {second} hat beim letzten Projekt angeboten, kam aber nicht zum "
        "Zug; Nachfassen bei der nächsten Ausschreibung einplanen."
    )
    return profile
