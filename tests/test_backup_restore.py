"""Backup and restore as docs/production.md describes it: `pg_dump --format=custom` of
a database holding the demo, `pg_restore` into a new, empty database, and the restored
database serves the CRM (a signed-in page with the demo's data). PostgreSQL only."""

import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.access import visible_accounts
from accounts.models import Account
from users.models import User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="pg_dump and pg_restore need PostgreSQL",
    ),
]

ROOT = Path(__file__).resolve().parent.parent

SERVE = """
import django
django.setup()
from django.test import Client
from users.models import User
client = Client()
client.force_login(User.objects.get(username="kam"))
page = client.get("/accounts/{pk}/")
print(page.status_code)
print(page.content.decode())
"""


def _libpq_env(database: str) -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432),
           "PGUSER": db["USER"], "PGDATABASE": database}  # fmt: skip
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _url(database: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{database}"


def test_a_dump_of_the_demo_restores_into_an_empty_database_and_serves(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    kam = User.objects.get(username="kam")
    account = visible_accounts(kam).order_by("pk").first()
    accounts = Account.objects.count()

    source = connection.settings_dict["NAME"]
    dump = tmp_path / "kam.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)],
        env=_libpq_env(source), check=True, timeout=300,
    )  # fmt: skip
    restored = f"kam_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", restored], env=_libpq_env(source), check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
            env=_libpq_env(restored), check=True, timeout=300,
        )  # fmt: skip
        served = subprocess.run(
            [sys.executable, "-c", SERVE.format(pk=account.pk)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": _url(restored), "ALLOWED_HOSTS": "testserver",
                 "KAM_HTTPS": "0", "REDIS_URL": ""},
            capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        status, _newline, page = served.stdout.partition("\n")
        assert status == "200", served.stderr[-2000:]
        assert account.name in page
        counted = subprocess.run(
            ["psql", "-tAc", "SELECT count(*) FROM accounts_account"],
            env=_libpq_env(restored), capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        assert int(counted.stdout) == accounts
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", restored], env=_libpq_env(source), check=False, timeout=60
        )
