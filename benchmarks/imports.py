"""Time the import of contacts and of accounts with parents on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench REDIS_URL=redis://... \\
        SECRET_KEY=bench DEBUG=0 KAM_HTTPS=0 .venv/bin/python benchmarks/imports.py \\
        [--contacts 100000] [--accounts 10000] [--profile 30]

Builds the files in memory (German CSV, `;`, as a spreadsheet writes them: accounts with
their group parent, contacts with their account and, from the second contact of an
account on, the first one as reports-to), imports them as a head of sales through
imports.services.import_table (the code the wizard's task and `manage.py import_data`
run), then imports the same files again (every row unchanged). Everything happens in one
transaction that is rolled back at the end, so the script can run on any database, the
benchmark data too; on PostgreSQL the written tables are analysed before the second
import, as autovacuum would have done by then (the planner otherwise knows nothing of
rows not yet committed). Give REDIS_URL as in production: the cache is asked while rows
are written.

Printed per import: the wall time, the CPU time of this process and of the database
server's backend (read from /proc when the server runs on this machine), and the load
average of the machine before and after. On a shared machine the wall time grows with
the load; the two CPU times add up to roughly the wall time on an idle one. Targets
(issue 24): 100,000 contacts in under 60 s, 10,000 accounts with parents in under 30 s.
`--profile N` prints the N functions with the most CPU time of each import (cProfile).
"""

import argparse
import cProfile
import os
import pstats
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

from django.db import connection, transaction  # noqa: E402

from imports import services  # noqa: E402
from imports.kinds import KINDS, suggest_mapping  # noqa: E402
from imports.reading import read_table  # noqa: E402
from users.models import Role, User  # noqa: E402


def csv_file(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def backend_cpu() -> float | None:
    """CPU seconds of this connection's database backend, if it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def timed(kind: str, data: bytes, actor: User, profile: int = 0) -> dict[str, object]:
    chosen = KINDS[kind]
    loaded, database = load(), backend_cpu()
    profiler = cProfile.Profile(time.process_time) if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    table = read_table(data)
    report = services.import_table(
        kind=chosen,
        actor=actor,
        table=table,
        mapping=suggest_mapping(chosen, table.headings),
        dry_run=False,
    )
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    database_after = backend_cpu()
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(profile)
    return {
        "wall": wall,
        "cpu": cpu,
        "db": None if database is None or database_after is None else database_after - database,
        "load": f"{loaded}-{load()}",
        "counts": report.counts(),
    }


def analyse(kind: str) -> None:
    if connection.vendor == "postgresql":
        models = {"accounts": ["accounts_account", "accounts_historicalaccount"],
                  "contacts": ["accounts_contact", "accounts_historicalcontact"]}  # fmt: skip
        with connection.cursor() as cursor:
            for table in models[kind]:
                cursor.execute(f"ANALYZE {table}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    print("| import | rows | wall | CPU (Python) | CPU (database) | load average | outcome |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |", flush=True)
    with transaction.atomic():
        actor = User.objects.create(
            username=f"import-benchmark-{os.getpid()}", role=Role.HEAD_OF_SALES
        )
        groups = max(1, args.accounts // 20)
        accounts = ["Externe ID;Name;übergeordneter Kunde;Status;Stufe;Key Account Manager"]
        for n in range(args.accounts):
            parent = "" if n < groups else f"IB-{n % groups}"
            accounts.append(f"IB-{n};Kunde {n} GmbH;{parent};Key Account;B;{actor.username}")
        contacts = ["Externe ID;Kunde;Vorname;Nachname;E-Mail;Einfluss;berichtet an"]
        for n in range(args.contacts):
            # The first contact of each account is the one the others report to.
            boss = f"IP-{n % args.accounts}" if n >= args.accounts else ""
            contacts.append(
                f"IP-{n};IB-{n % args.accounts};Anna;Müller {n};a{n}@example.com;hoch;{boss}"
            )
        for kind, data, rows in (
            ("accounts", csv_file(accounts), args.accounts),
            ("contacts", csv_file(contacts), args.contacts),
        ):
            for label in ("new", "again"):
                if label == "again":
                    analyse(kind)
                found = timed(kind, data, actor, args.profile)
                database = found["db"]
                shown = {k: v for k, v in found["counts"].items() if v}  # type: ignore[union-attr]
                print(
                    f"| {kind} {label} | {rows:,} | {found['wall']:.1f} s | {found['cpu']:.1f} s "
                    f"| {'–' if database is None else f'{database:.1f} s'} | {found['load']} "
                    f"| {shown} |",
                    flush=True,
                )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
