"""Time the bulk upsert API: `POST /api/v1/accounts/bulk/` with 1,000 rows a call.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench DEBUG=0 \\
        KAM_HTTPS=0 .venv/bin/python benchmarks/bulk_api.py [--rows 1000] [--rounds 3]

Sends the calls in-process through the whole middleware stack (django.test's client with
a real API token, as an ERP would): 1,000 new accounts, the same 1,000 with a changed
city (updates), and the same again (unchanged), as a head of sales. Each round runs in a
transaction rolled back at the end, so the script can run on the benchmark data (run
`generate.py` first: the duplicate check and the scope read the accounts already there).
Prints the fastest of the rounds per call. Target (issue 25): 1,000 accounts in one call
under 3 seconds on PostgreSQL.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("KAM_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from users.models import Role, User  # noqa: E402
from users.services import api_token_create  # noqa: E402

URL = "/api/v1/accounts/bulk/"


def rows(count: int, city: str) -> list[dict[str, str]]:
    return [
        {
            "external_id": f"BULK-{n}",
            "name": f"Schnittstelle {n} Handels GmbH",
            "status": "key_account",
            "tier": "B",
            "city": city,
            "country": "DE",
        }
        for n in range(count)
    ]


def post(client: Client, key: str, body: list[dict[str, str]]) -> tuple[float, dict]:
    data = json.dumps({"rows": body})
    start = time.perf_counter()
    response = client.post(
        URL, data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.content[:500]
    return seconds, response.json()["counts"]


def one_round(count: int) -> dict[str, tuple[float, dict]]:
    found = {}
    with transaction.atomic():
        actor = User.objects.create(username="bulk-benchmark", role=Role.HEAD_OF_SALES)
        _token, key = api_token_create(user=actor, name="ERP")
        client = Client(SERVER_NAME=settings.ALLOWED_HOSTS[0])
        found["new"] = post(client, key, rows(count, "Stuttgart"))
        found["updated"] = post(client, key, rows(count, "Ulm"))
        found["unchanged"] = post(client, key, rows(count, "Ulm"))
        transaction.set_rollback(True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accounts_account")
        existing = cursor.fetchone()[0]
    print(f"{connection.vendor}, {existing:,} accounts there, load {os.getloadavg()}")
    best: dict[str, tuple[float, dict]] = {}
    for _ in range(args.rounds):
        for label, (seconds, counts) in one_round(args.rows).items():
            if label not in best or seconds < best[label][0]:
                best[label] = (seconds, counts)
    for label, (seconds, counts) in best.items():
        print(f"{label:9} {args.rows:>5} rows {seconds:6.2f} s  {counts}")


if __name__ == "__main__":
    main()
