"""The buying center of each demo account: people with names fitting the country,
their positions, reporting lines, relationship and legal basis (and one key player who
left)."""

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.demo.companies import (
    KEY_PLAYER_LEFT_ACCOUNT,
    NO_DECISION_MAKER_ACCOUNT,
    TR,
    AccountSpec,
    C,
    S,
)
from accounts.demo.plans import ContactPlan
from accounts.models import Contact

R = Contact.BuyingRole
I = Contact.Influence  # noqa: E741 - short alias keeps the role tables readable

LOCALE_BY_COUNTRY = {
    "Deutschland": "de",
    "Österreich": "de",
    "Frankreich": "fr",
    "Spanien": "es",
    "USA": "en",
    "Vereinigtes Königreich": "en",
    "Italien": "it",
    "Niederlande": "nl",
    "Polen": "pl",
    "Schweden": "sv",
}
LOCALE_BY_CITY = {"Basel": "de", "Lugano": "it"}
MOBILE_PREFIX = {
    "Deutschland": "+49 151",
    "Österreich": "+43 664",
    "Schweiz": "+41 79",
    "Frankreich": "+33 6",
    "Spanien": "+34 6",
    "USA": "+1 864",
    "Vereinigtes Königreich": "+44 7700",
    "Italien": "+39 347",
    "Niederlande": "+31 6",
    "Polen": "+48 601",
    "Schweden": "+46 70",
}

# (male first names, female first names, last names)
NAMES = {
    "de": (
        "Thomas Michael Andreas Stefan Markus Jan Tobias Florian Christian Matthias Jörg Ralf "
        "Sebastian Daniel Alexander Uwe Frank Dirk Oliver Lukas Philipp Benedikt Henrik Klaus "
        "Wolfgang Mehmet",
        "Sabine Claudia Julia Katharina Anja Nicole Stefanie Melanie Birgit Susanne Christina "
        "Lena Miriam Anne Petra Franziska Johanna Sandra Carolin Jana Ulrike Martina Heike "
        "Elif Sophie",
        "Müller Schmidt Schneider Fischer Weber Wagner Becker Hoffmann Schäfer Koch Richter "
        "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange Werner "
        "Krause Lehmann Köhler Maier Huber Kaiser Fuchs Peters Scholz Möller Vogel Jung Keller "
        "Günther Berger Winkler Roth Beck Lorenz Baumann Öztürk Kowalski Nguyen Haas Brandl",
    ),
    "fr": (
        "Julien Nicolas Pierre Thomas Antoine Mathieu Laurent Olivier Sébastien Guillaume",
        "Camille Claire Isabelle Sophie Nathalie Émilie Aurélie Céline Marion Juliette",
        "Martin Bernard Dubois Durand Lefèvre Moreau Girard Roux Fournier Mercier Blanc "
        "Garnier Chevalier Rousseau Faure Benali",
    ),
    "es": (
        "Javier Carlos Alejandro Miguel Sergio Pablo Diego Raúl Jorge",
        "María Lucía Carmen Elena Laura Marta Ana Paula Cristina",
        "García Fernández López Martínez Sánchez Pérez Gómez Ruiz Navarro Torres Romero "
        "Ortega Delgado Castillo",
    ),
    "en": (
        "James Michael Robert David Daniel Christopher Andrew Kevin Brian Ryan Mark Steven",
        "Jennifer Sarah Jessica Emily Ashley Rachel Laura Megan Olivia Hannah Karen Priya",
        "Smith Johnson Williams Brown Miller Davis Wilson Anderson Taylor Thomas Moore Jackson "
        "Harris Clark Lewis Walker Patel Nguyen Rodriguez Kim",
    ),
    "it": (
        "Marco Luca Alessandro Giovanni Matteo Davide Stefano Paolo",
        "Giulia Francesca Chiara Sara Valentina Elena Federica Silvia",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo "
        "Conti Costa",
    ),
    "nl": (
        "Jeroen Bram Sander Pieter Thijs Maarten Joost",
        "Anouk Sanne Lotte Femke Eva Inge Marieke",
        "de_Vries Jansen van_den_Berg Bakker Visser Smit Meijer de_Boer Mulder Bos Vos Dekker",
    ),
    "pl": (
        "Piotr Krzysztof Tomasz Paweł Marcin Michał Łukasz",
        "Anna Katarzyna Magdalena Agnieszka Joanna Monika Ewa",
        "Nowak Kowalczyk Wójcik Mazur Krawczyk Zając Król Wieczorek Pawlak Dudek Walczak Sikora",
    ),
    "sv": (
        "Erik Lars Anders Johan Magnus Oskar Nils",
        "Anna Karin Maria Sara Emma Ingrid Linnea",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Lindqvist Berg "
        "Lundgren Holm",
    ),
}


@dataclass(frozen=True)
class Position:
    """A job in the customer's buying center; `manager` indexes the same table."""

    title_m: str
    title_f: str
    title_en: str
    department: str
    department_en: str
    role: str
    influence: str
    manager: int | None


# Ordered so that every manager comes before the people reporting to them: the first N
# positions always form a complete org chart.
COMPANY_POSITIONS = [
    Position("Geschäftsführer", "Geschäftsführerin", "Managing Director",
             "Geschäftsführung", "Management", R.DECISION_MAKER, I.HIGH, None),
    Position("Technischer Geschäftsführer", "Technische Geschäftsführerin",
             "Chief Operating Officer", "Geschäftsführung", "Management",
             R.EXECUTIVE_SPONSOR, I.HIGH, 0),
    Position("Leiter Einkauf", "Leiterin Einkauf", "Head of Procurement",
             "Einkauf", "Procurement", R.ECONOMIC_BUYER, I.HIGH, 0),
    Position("Leiter Entwicklung", "Leiterin Entwicklung", "Head of Engineering",
             "Entwicklung", "Engineering", R.TECHNICAL_BUYER, I.HIGH, 1),
    Position("Projektleiter", "Projektleiterin", "Project Manager",
             "Entwicklung", "Engineering", R.CHAMPION, I.MEDIUM, 3),
    Position("Strategischer Einkäufer", "Strategische Einkäuferin", "Strategic Buyer",
             "Einkauf", "Procurement", R.GATEKEEPER, I.MEDIUM, 2),
    Position("Werksleiter", "Werksleiterin", "Plant Manager",
             "Produktion", "Operations", R.USER, I.MEDIUM, 1),
    Position("Leiter Qualitätsmanagement", "Leiterin Qualitätsmanagement", "Head of Quality",
             "Qualitätsmanagement", "Quality", R.INFLUENCER, I.MEDIUM, 1),
    Position("Kaufmännischer Leiter", "Kaufmännische Leiterin", "Chief Financial Officer",
             "Finanzen", "Finance", R.INFLUENCER, I.HIGH, 0),
    Position("Assistent der Geschäftsführung", "Assistentin der Geschäftsführung",
             "Executive Assistant", "Geschäftsführung", "Management", R.GATEKEEPER, I.LOW, 0),
    Position("Leiter Instandhaltung", "Leiterin Instandhaltung", "Maintenance Manager",
             "Instandhaltung", "Maintenance", R.USER, I.MEDIUM, 6),
    Position("Leiter Logistik", "Leiterin Logistik", "Head of Logistics",
             "Logistik", "Logistics", R.USER, I.LOW, 6),
    Position("IT-Leiter", "IT-Leiterin", "Head of IT", "IT", "IT", R.INFLUENCER, I.MEDIUM, 8),
    Position("Einkäufer", "Einkäuferin", "Buyer", "Einkauf", "Procurement",
             R.GATEKEEPER, I.LOW, 5),
    Position("Entwicklungsingenieur", "Entwicklungsingenieurin", "Development Engineer",
             "Entwicklung", "Engineering", R.USER, I.LOW, 4),
]  # fmt: skip

# Large companies call the top two positions differently.
CORPORATE_TOP = {
    0: ("Vorstandsvorsitzender", "Vorstandsvorsitzende", "Chief Executive Officer",
        "Vorstand", "Executive Board"),
    1: ("Vorstand Technik", "Vorständin Technik", "Chief Technology Officer",
        "Vorstand", "Executive Board"),
}  # fmt: skip

PUBLIC_POSITIONS = [
    Position("Geschäftsführer", "Geschäftsführerin", "Director General",
             "Geschäftsleitung", "Executive Management", R.DECISION_MAKER, I.HIGH, None),
    Position("Kaufmännischer Direktor", "Kaufmännische Direktorin", "Director of Finance",
             "Finanzen", "Finance", R.EXECUTIVE_SPONSOR, I.HIGH, 0),
    Position("Leiter Vergabestelle", "Leiterin Vergabestelle", "Head of Public Procurement",
             "Zentrale Vergabestelle", "Public Procurement", R.ECONOMIC_BUYER, I.HIGH, 1),
    Position("Technischer Leiter", "Technische Leiterin", "Technical Director",
             "Technik", "Technical Services", R.TECHNICAL_BUYER, I.HIGH, 0),
    Position("Projektleiter Digitalisierung", "Projektleiterin Digitalisierung",
             "Digital Transformation Lead", "Digitalisierung", "Digital Services",
             R.CHAMPION, I.MEDIUM, 3),
    Position("Sachbearbeiter Vergabe", "Sachbearbeiterin Vergabe", "Procurement Officer",
             "Zentrale Vergabestelle", "Public Procurement", R.GATEKEEPER, I.MEDIUM, 2),
    Position("Leiter Betrieb", "Leiterin Betrieb", "Head of Operations",
             "Betrieb", "Operations", R.USER, I.MEDIUM, 3),
    Position("Datenschutzbeauftragter", "Datenschutzbeauftragte", "Data Protection Officer",
             "Recht & Datenschutz", "Legal & Data Protection", R.INFLUENCER, I.MEDIUM, 0),
    Position("Referent der Geschäftsleitung", "Referentin der Geschäftsleitung",
             "Chief of Staff", "Geschäftsleitung", "Executive Management",
             R.GATEKEEPER, I.LOW, 0),
    Position("Leiter IT", "Leiterin IT", "Head of IT", "IT", "IT", R.INFLUENCER, I.MEDIUM, 1),
    Position("Meister Instandhaltung", "Meisterin Instandhaltung", "Maintenance Supervisor",
             "Betrieb", "Operations", R.USER, I.LOW, 6),
]  # fmt: skip

# How many contacts, how strong and how friendly, by account status.
CONTACT_RANGE: dict[str, tuple[int, int]] = {
    S.KEY_ACCOUNT: (8, 14),
    S.POTENTIAL: (5, 9),
    S.STANDARD: (5, 7),
    S.FORMER: (5, 6),
    S.PROSPECT: (3, 4),
}
STRENGTH_WEIGHTS: dict[str, tuple[int, ...]] = {  # weights of strength 1..5
    S.KEY_ACCOUNT: (0, 1, 3, 4, 3),
    S.POTENTIAL: (1, 3, 4, 2, 0),
    S.STANDARD: (1, 3, 4, 2, 1),
    S.FORMER: (3, 4, 2, 0, 0),
    S.PROSPECT: (4, 3, 1, 0, 0),
}
ATTITUDE_WEIGHTS: dict[str, tuple[int, ...]] = {  # supporter, neutral, critic
    S.KEY_ACCOUNT: (5, 4, 1),
    S.POTENTIAL: (3, 5, 2),
    S.STANDARD: (3, 5, 1),
    S.FORMER: (1, 4, 4),
    S.PROSPECT: (1, 6, 1),
}
ATTITUDES = (Contact.Attitude.SUPPORTER, Contact.Attitude.NEUTRAL, Contact.Attitude.CRITIC)


_TRANSLITERATE = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ł": "l", "ı": "i", "ø": "o", "æ": "ae"}
)


def _mail_part(text: str) -> str:
    text = text.lower().translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _positions(spec: AccountSpec) -> list[Position]:
    if spec.customer_type == C.PUBLIC:
        return list(PUBLIC_POSITIONS)
    positions = list(COMPANY_POSITIONS)
    if spec.customer_type == C.CORPORATION:
        for index, (m, f, en, dept, dept_en) in CORPORATE_TOP.items():
            old = positions[index]
            positions[index] = Position(
                m, f, en, dept, dept_en, old.role, old.influence, old.manager
            )
    return positions


def _person(rng: random.Random, locale: str, spec: AccountSpec, used: set) -> tuple[str, str, bool]:
    """A new name: unique e-mail address per domain, no two surnames alike per account."""
    males, females, lasts = (part.split() for part in NAMES[locale])
    while True:
        female = rng.random() < 0.45
        first = rng.choice(females if female else males)
        last = rng.choice(lasts).replace("_", " ")
        keys = {("mail", spec.domain, first, last), ("surname", spec.external_id, last)}
        if not keys & used:
            used.update(keys)
            return first, last, female


def plan_contacts(
    rng: random.Random, spec: AccountSpec, today: date, used_names: set
) -> list[ContactPlan]:
    locale = LOCALE_BY_CITY.get(spec.city) or LOCALE_BY_COUNTRY.get(spec.country, "en")
    german = locale == "de"
    low, high = CONTACT_RANGE[spec.status]
    if spec.parent and spec.status == S.KEY_ACCOUNT:
        low, high = 6, 10
    # The account whose new board nobody knows yet: no decision maker on record.
    skip = {0} if spec.external_id == NO_DECISION_MAKER_ACCOUNT else set()
    positions = _positions(spec)[: rng.randint(low, high) + len(skip)]
    team = {user: role for user, role, _can_edit in spec.team}
    contacts: list[ContactPlan] = []
    index_of: dict[int, int] = {}
    for number, position in enumerate(positions):
        if number in skip:
            continue
        first, last, female = _person(rng, locale, spec, used_names)
        contact = ContactPlan(
            first_name=first,
            last_name=last,
            job_title=(position.title_f if female else position.title_m)
            if german
            else position.title_en,
            department=position.department if german else position.department_en,
            email=f"{_mail_part(first)}.{_mail_part(last)}@{spec.domain}",
            phone=f"{spec.phone} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            if rng.random() < 0.85
            else "",
            mobile=f"{MOBILE_PREFIX.get(spec.country, '+49 151')} {rng.randint(1000000, 9999999)}"
            if position.influence == I.HIGH and rng.random() < 0.7
            else "",
            preferred_language="de" if german else "en",
            buying_role=position.role,
            influence=position.influence,
            attitude=rng.choices(ATTITUDES, weights=ATTITUDE_WEIGHTS[spec.status])[0],
            relationship_strength=rng.choices(range(1, 6), weights=STRENGTH_WEIGHTS[spec.status])[
                0
            ],
            relationship_owner=_relationship_owner(rng, spec, position, team),
            legal_basis=Contact.LegalBasis.UNKNOWN,
            manager=index_of.get(position.manager) if position.manager is not None else None,
            group_manager=spec.parent is not None and number == 0,
        )
        _plan_legal_basis(rng, spec, contact, today)
        index_of[number] = len(contacts)
        contacts.append(contact)
    if spec.external_id == KEY_PLAYER_LEFT_ACCOUNT:
        _plan_departure(rng, spec, contacts, today, used_names)
    return contacts


def _relationship_owner(
    rng: random.Random, spec: AccountSpec, position: Position, team: dict[str, str]
) -> str | None:
    if position.influence == I.HIGH:
        return spec.owner
    if "vertrieb" in team and position.role in (R.USER, R.GATEKEEPER):
        return "vertrieb"
    deputies = [user for user, role in team.items() if role == TR.KEY_ACCOUNT_MANAGER]
    if deputies and rng.random() < 0.3:
        return deputies[0]
    if spec.status == S.PROSPECT and rng.random() < 0.5:
        return None
    return spec.owner


def _plan_legal_basis(
    rng: random.Random, spec: AccountSpec, contact: ContactPlan, today: date
) -> None:
    roll = rng.random()
    if spec.status == S.PROSPECT:
        basis = Contact.LegalBasis.LEGITIMATE_INTEREST if roll < 0.7 else Contact.LegalBasis.UNKNOWN
    elif spec.status == S.FORMER and roll < 0.15:
        basis = Contact.LegalBasis.OBJECTED
    elif roll < 0.5:
        basis = Contact.LegalBasis.CONTRACT
    elif roll < 0.8:
        basis = Contact.LegalBasis.LEGITIMATE_INTEREST
    elif roll < 0.95:
        basis = Contact.LegalBasis.CONSENT
        contact.consent_on = today - timedelta(days=rng.randint(30, 900))
    else:
        basis = Contact.LegalBasis.UNKNOWN
    contact.legal_basis = basis


def _plan_departure(
    rng: random.Random,
    spec: AccountSpec,
    contacts: list[ContactPlan],
    today: date,
    used_names: set,
) -> None:
    """The head of purchasing left; an acting successor took over their reports."""
    leaver_index = next(i for i, c in enumerate(contacts) if c.buying_role == R.ECONOMIC_BUYER)
    leaver = contacts[leaver_index]
    leaver.left_on = today - timedelta(days=74)
    leaver.attitude = Contact.Attitude.SUPPORTER
    leaver.relationship_strength = 5
    first, last, female = _person(rng, "de", spec, used_names)
    successor = ContactPlan(
        first_name=first,
        last_name=last,
        job_title="Leiterin Einkauf (kommissarisch)"
        if female
        else "Leiter Einkauf (kommissarisch)",
        department="Einkauf",
        email=f"{_mail_part(first)}.{_mail_part(last)}@{spec.domain}",
        phone=f"{spec.phone} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        mobile="",
        preferred_language="de",
        buying_role=R.ECONOMIC_BUYER,
        influence=I.HIGH,
        attitude=Contact.Attitude.NEUTRAL,
        relationship_strength=1,
        relationship_owner=spec.owner,
        legal_basis=Contact.LegalBasis.LEGITIMATE_INTEREST,
        manager=leaver.manager,
    )
    successor_index = len(contacts)
    contacts.append(successor)
    for contact in contacts[:successor_index]:
        if contact.manager == leaver_index:
            contact.manager = successor_index
    # Managers must be created first: move the successor right behind the leaver.
    order = list(range(successor_index))
    order.insert(leaver_index + 1, successor_index)
    position = {old: new for new, old in enumerate(order)}
    reordered = [contacts[old] for old in order]
    for contact in reordered:
        if contact.manager is not None:
            contact.manager = position[contact.manager]
    contacts[:] = reordered
