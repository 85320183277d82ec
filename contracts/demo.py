"""Demo contracts for `manage.py seed_demo`: 1-3 per demo key account over three years.

Planned with a fixed random seed relative to today, so the lists always show contracts
whose notice deadline is near, one in renegotiation, some ended and some terminated.
Written through the services (validation, history). Idempotent: a contract is keyed by
its number within the account and is not created twice.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Account
from contracts import services
from contracts.models import Contract
from contracts.terms import add_months
from kam.history import authored_by
from users.models import User

SEED = 4711
K = Contract.Kind
S = Contract.Status

TITLES = {
    K.FRAMEWORK: ["Rahmenvertrag Antriebstechnik", "Rahmenvertrag Sensorik", "Rahmenvereinbarung"],
    K.SUPPLY: ["Liefervertrag Ersatzteile", "Liefervertrag Baugruppen", "Sukzessivliefervertrag"],
    K.SERVICE: ["Servicevertrag Wartung", "Software-Pflegevertrag", "Servicevertrag 24/7"],
    K.OTHER: ["Entwicklungsvereinbarung", "Konsignationslagervertrag"],
}
TERMS = [
    "Preise fest für 12 Monate, danach Anpassung nach Materialpreisindex (max. 3 %).",
    "Staffelrabatt ab 250.000 € Jahresvolumen: 4 %; Zahlungsziel 45 Tage netto.",
    "Lieferung frei Haus, Reaktionszeit 24 h, Bonus bei Erreichen des Jahresziels.",
    "Jährliche Preisverhandlung im Jahresgespräch; Skonto 2 % bei Zahlung in 10 Tagen.",
]


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing `text` (ASCII), built by hand: fast, no WeasyPrint."""
    safe = text.encode("ascii", "replace").decode().replace("\\", "").replace("(", "[")
    safe = safe.replace(")", "]")
    stream = f"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def _plan(rng: random.Random, index: int, today: date) -> list[dict]:
    """1-3 contracts for the account at `index`; the first accounts tell the stories."""
    plans: list[dict[str, Any]] = []
    count = rng.choice([1, 2, 2, 3])
    for n in range(count):
        kind = rng.choice(list(TITLES))
        start = today - timedelta(days=rng.randint(30, 3 * 365))
        start = start.replace(day=1)
        years = rng.choice([1, 2, 3])
        end = add_months(start, 12 * years) - timedelta(days=1)
        plan: dict[str, Any] = {
            "number": f"KV-{index:03d}-{n + 1}",
            "title": rng.choice(TITLES[kind]),
            "kind": kind,
            "start_on": start,
            "end_on": end,
            "notice_period_months": rng.choice([1, 3, 3, 6]),
            "auto_renewal": rng.random() < 0.5,
            "renewal_term_months": rng.choice([12, 12, 24]),
            "annual_value": Decimal(rng.randrange(40, 900) * 1000),
            "prices_and_terms": rng.choice(TERMS),
            "status": S.ACTIVE,
        }
        if not plan["auto_renewal"] and end < today:
            plan["status"] = rng.choice([S.EXPIRED, S.EXPIRED, S.TERMINATED])
        if kind == K.FRAMEWORK and n == 0 and rng.random() < 0.3:
            plan["end_on"] = None  # open-ended framework agreement
            plan["auto_renewal"] = False
            plan["status"] = S.ACTIVE
        plans.append(plan)
    # Stories: a notice deadline within the next weeks on every third account, one
    # contract in renegotiation, one terminated last year.
    first = plans[0]
    if index % 3 == 1:
        first.update(
            end_on=add_months(today + timedelta(days=rng.randint(10, 80)), 3),
            notice_period_months=3,
            auto_renewal=index % 2 == 1,
            status=S.ACTIVE,
        )
        if first["start_on"] > first["end_on"]:
            first["start_on"] = add_months(first["end_on"], -24)
    if index == 2:
        first.update(status=S.RENEGOTIATION, end_on=today + timedelta(days=45), auto_renewal=False)
        first["notice_period_months"] = 1
        if first["start_on"] > first["end_on"]:
            first["start_on"] = add_months(first["end_on"], -24)
    if index == 1:
        # A missed notice deadline: the term ends in two months, notice needed six months
        # ahead. It renews by itself; the page names the next deadline that can be met.
        plans.append(
            first
            | {
                "number": f"KV-{index:03d}-M",
                "title": "Wartungsvertrag Prüfstände",
                "kind": K.SERVICE,
                "start_on": add_months(today, -22).replace(day=1),
                "end_on": _month_end(add_months(today, 2)),
                "notice_period_months": 6,
                "auto_renewal": True,
                "renewal_term_months": 12,
                "status": S.ACTIVE,
            }
        )
    if index == 3:
        # Renews quarterly from 30 September: each term ends on a month's last day
        # (31 December, 31 March, 30 June, 30 September), never on the 30th of a longer
        # month.
        last_september = date(today.year - (1 if today.month >= 10 else 2), 9, 30)
        plans.append(
            first
            | {
                "number": f"KV-{index:03d}-Q",
                "title": "Servicevertrag Ersatzteillager",
                "kind": K.SERVICE,
                "start_on": date(last_september.year - 1, 10, 1),
                "end_on": last_september,
                "notice_period_months": 1,
                "auto_renewal": True,
                "renewal_term_months": 3,
                "status": S.ACTIVE,
                "terminated_on": None,
            }
        )
    if index == 5:
        first.update(
            status=S.TERMINATED,
            auto_renewal=False,
            end_on=today + timedelta(days=120),
            terminated_on=today - timedelta(days=200),
        )
    return plans


def seed(users: dict[str, User]) -> int:
    """Create the demo contracts that do not exist yet; return how many were created."""
    today = timezone.localdate()
    rng = random.Random(SEED)
    accounts = Account.objects.filter(external_id__startswith="DEMO-").select_related("owner")
    existing = set(
        Contract.objects.filter(account__in=accounts).values_list("account_id", "number")
    )
    created = 0
    documents_left = 3
    for index, account in enumerate(accounts.order_by("external_id"), start=1):
        for plan in _plan(rng, index, today):
            if (account.pk, plan["number"]) in existing:
                continue
            actor = account.owner
            with authored_by(actor):
                contract = services.contract_create(actor=actor, account=account, **plan)
                created += 1
                if documents_left and contract.status in (S.ACTIVE, S.RENEGOTIATION):
                    documents_left -= 1
                    text = f"Vertrag {contract.number} - {account.name}"
                    upload = SimpleUploadedFile(
                        f"Vertrag_{contract.number}.pdf", minimal_pdf(text), "application/pdf"
                    )
                    services.document_add(actor=actor, contract=contract, uploaded_file=upload)
    return created
