"""Time the import of contacts and of accounts with parents on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench DEBUG=0 \\
        KAM_HTTPS=0 .venv/bin/python benchmarks/imports.py [--contacts 100000] [--accounts 10000]

Builds the files in memory (German CSV, `;`, as a spreadsheet writes them), imports them
as a head of sales through imports.services.import_table (the code the wizard's task and
`manage.py import_data` run), then imports the same files again (every row unchanged).
Everything happens in one transaction that is rolled back at the end, so the script can
run on any database, the benchmark data too. Targets (issue 24): 100,000 contacts in
under 60 s, 10,000 accounts with parents in under 30 s.
"""

import argparse
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

from django.db import transaction  # noqa: E402

from imports import services  # noqa: E402
from imports.kinds import KINDS, suggest_mapping  # noqa: E402
from imports.reading import read_table  # noqa: E402
from users.models import Role, User  # noqa: E402


def csv_file(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def timed(kind: str, data: bytes, actor: User) -> tuple[float, dict[str, int]]:
    chosen = KINDS[kind]
    start = time.perf_counter()
    table = read_table(data)
    report = services.import_table(
        kind=chosen,
        actor=actor,
        table=table,
        mapping=suggest_mapping(chosen, table.headings),
        dry_run=False,
    )
    return time.perf_counter() - start, report.counts()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    with transaction.atomic():
        actor = User.objects.create(
            username=f"import-benchmark-{os.getpid()}", role=Role.HEAD_OF_SALES
        )
        groups = max(1, args.accounts // 20)
        accounts = ["Externe ID;Name;übergeordneter Kunde;Status;Stufe;Key Account Manager"]
        for n in range(args.accounts):
            parent = "" if n < groups else f"IB-{n % groups}"
            accounts.append(f"IB-{n};Kunde {n} GmbH;{parent};Key Account;B;{actor.username}")
        contacts = ["Externe ID;Kunde;Vorname;Nachname;E-Mail;Einfluss"]
        for n in range(args.contacts):
            contacts.append(f"IP-{n};IB-{n % args.accounts};Anna;Müller {n};a{n}@example.com;hoch")
        for kind, data, rows in (
            ("accounts", csv_file(accounts), args.accounts),
            ("contacts", csv_file(contacts), args.contacts),
        ):
            for label in ("new", "again"):
                seconds, counts = timed(kind, data, actor)
                print(f"{kind:9} {label:6} {rows:>7} rows {seconds:8.1f} s  {counts}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
