"""Run the load test end to end and write a summary table.

Starts its own Redis (a port of its own, no persistence), a Celery worker serving every
queue and gunicorn (`gunicorn.conf.py`, workers and threads as for production on two
cores), all on 127.0.0.1 against the PostgreSQL database in DATABASE_URL, which must hold
the benchmark data (benchmarks/generate*.py). Then:

- `load`: benchmarks/load/locustfile.py headless for RUN_TIME at each number of users
  (10, 25, 50, 100), one after the other;
- `outage`: one run at OUTAGE_USERS during which Redis is shut down for OUTAGE_SECONDS
  and started again (empty, as after a crash without persistence).

After each run the writes the app confirmed (visits with their follow-up, deal moves,
pushed figures; see the locustfile) are compared with the database. Everything it started
is stopped at the end, the API tokens it created are deleted; the visits it logged stay
(their subject names the run).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench \\
        .venv/bin/python benchmarks/load/run.py --out data/load

Results go to OUT/<UTC time>/: summary.md (the tables), locust's CSV files per run, the
logs of gunicorn, Celery and Redis.
"""

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bench-password-2026"  # benchmarks/generate.py
TOKENS = 4  # API tokens: one throttle budget each, shared out among the integrations
KAMS = [f"bench_kam_{number}" for number in range(200)]


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
    import django

    django.setup()


# Commands run in a Django process of their own (the runner itself stays free of Django).


def prepare(run: str) -> None:
    """Print the keys of fresh API tokens of the head of sales (the integrations) and a
    session of every simulated person, as if they had signed in earlier in the day."""
    django_setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from users.models import User
    from users.services import api_token_create

    head = User.objects.get(username="bench_head")
    keys = [api_token_create(user=head, name=f"load test {run}")[1] for _ in range(TOKENS)]
    sessions = {}
    people = User.objects.filter(username__in=[*KAMS, "bench_head"], is_active=True)
    for user in people:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions[user.username] = session.session_key
    print(json.dumps({"keys": keys, "sessions": sessions}))


def cleanup(keys: str) -> None:
    django_setup()
    from django.contrib.sessions.models import Session

    from users.models import ApiToken

    run, sessions = json.loads(Path(keys).read_text())
    ApiToken.objects.filter(name=f"load test {run}").delete()
    Session.objects.filter(session_key__in=sessions).delete()


def last_writes(writes: list[dict], key: Callable[[dict], object], value: str) -> dict:
    """Per record (`key` of a write line), the values a last write may have left there.

    A write line knows when its request was sent and when its answer was read (`sent`,
    `at`), not when the server committed it. Of two writes of one record whose requests
    overlap, either may have committed last: a request holds its row lock only while it
    writes, and its answer may be read later than that of a write that committed after it
    (work after the commit, the client's own scheduling). So the stored value must be that
    of a write confirmed no earlier than the last write of the record was sent: the last
    confirmed one, or one overlapping the last one sent. Lines without `sent` count as sent
    when confirmed (then only the last confirmed value)."""
    found: dict[object, list[dict]] = {}
    for line in writes:
        found.setdefault(key(line), []).append(line)
    possible = {}
    for record, lines in found.items():
        last_sent = max(line.get("sent", line["at"]) for line in lines)
        possible[record] = {line[value] for line in lines if line["at"] >= last_sent}
    return possible


def verify(writes: str) -> None:
    """Compare the confirmed writes in `writes` (JSON lines) with the database."""
    django_setup()
    from accounts.models import YearlyFigures
    from activities.models import Activity, FollowUp
    from deals.models import Opportunity

    lines = []
    if Path(writes).exists():
        lines = [json.loads(line) for line in Path(writes).read_text().splitlines() if line]
    visits = [line for line in lines if line["kind"] == "visit"]
    subjects = {line["subject"] for line in visits}
    stored = Activity.objects.filter(subject__in=subjects).count()
    follow_ups = FollowUp.objects.filter(activity__subject__in=subjects).count()
    moves = [line for line in lines if line["kind"] == "move"]
    last_stage = last_writes(moves, lambda line: line["deal"], "stage")
    stages = dict(Opportunity.objects.filter(pk__in=last_stage).values_list("pk", "stage_id"))
    pushes = [line for line in lines if line["kind"] == "figures"]
    last_revenue = last_writes(pushes, lambda line: (line["account"], line["year"]), "revenue")
    figures = {
        (account, year): revenue
        for account, year, revenue in YearlyFigures.objects.filter(
            account_id__in={account for account, _ in last_revenue},
            year__in={year for _, year in last_revenue},
        ).values_list("account_id", "year", "revenue")
    }
    result = {
        "visits confirmed": len(visits),
        "visits stored": stored,
        "follow-ups stored": follow_ups,
        "moves confirmed": len(moves),
        "deals moved": len(last_stage),
        "deals at a last confirmed stage": sum(
            stages.get(deal) in possible for deal, possible in last_stage.items()
        ),
        "figures confirmed": len(pushes),
        "figure years pushed": len(last_revenue),
        "figure years whose last pushes overlapped": sum(
            len(possible) > 1 for possible in last_revenue.values()
        ),
        "figure years holding a last confirmed value": sum(
            figures.get(key) in {Decimal(revenue) for revenue in possible}
            for key, possible in last_revenue.items()
        ),
    }
    print(json.dumps(result))


# The runner.


class Stack:
    """Redis, the Celery worker and gunicorn, started and stopped by this runner only."""

    def __init__(self, args, out: Path, env: dict[str, str]) -> None:
        self.args, self.out, self.env = args, out, env
        self.redis: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.logs: list = []

    def _log(self, name: str):
        handle = open(self.out / name, "ab")  # noqa: SIM115 - closed in stop()
        self.logs.append(handle)
        return handle

    def start_redis(self) -> None:
        log = self._log("redis.log")
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.args.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.out)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(50):
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.args.redis_port), "ping"],
                capture_output=True,
                text=True,
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise SystemExit("Redis did not start")

    def stop_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()  # no persistence configured: nothing is written
            self.redis.wait(10)

    def start(self) -> None:
        self.start_redis()
        self.worker = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "kam", "worker", "-Q", "celery,notifications,folders",
             "--concurrency", str(self.args.celery_concurrency), "--loglevel=info",
             "--hostname", f"load-{self.args.port}@%h"],
            cwd=ROOT, env=self.env, stdout=self._log("celery.log"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.web = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "kam.wsgi:application",
             "--bind", f"127.0.0.1:{self.args.port}", "--timeout", "60",
             "--graceful-timeout", "30", "--access-logfile", str(self.out / "access.log")],
            cwd=ROOT, env=self.env, stdout=self._log("gunicorn.log"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health/?worker=1", timeout=15) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise SystemExit("gunicorn or the Celery worker did not come up (see the logs)")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.args.port}"

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.stop_redis()
        for handle in self.logs:
            handle.close()


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average every 5 s while a run goes."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(5):
            self.samples.append(os.getloadavg()[0])


def django(env: dict[str, str], *command: str) -> dict:
    answer = subprocess.run(
        [sys.executable, __file__, *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if answer.returncode:
        raise SystemExit(answer.stderr)
    return json.loads(answer.stdout.strip().splitlines()[-1]) if answer.stdout.strip() else {}


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as file:
        return list(csv.DictReader(file))


def server_errors(failures: list[dict]) -> int:
    return sum(int(row["Occurrences"]) for row in failures if re.search(r"\b5\d\d ", row["Error"]))


def one_run(args, stack: Stack, env: dict, name: str, users: int, run_time: str, outage=None):
    prefix = stack.out / name
    writes = stack.out / f"{name}-writes.jsonl"
    spawn_rate = max(1, users // 10)  # all users in about 10 s
    locust_env = {**env, "KAM_LOAD_WRITES": str(writes), "KAM_LOAD_RUN": f"{stack.out.name}-{name}"}
    command = [
        str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", stack.url,
        "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", run_time,
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    sampler = LoadSampler()
    started = datetime.now(UTC)
    load_before = os.getloadavg()[0]
    sampler.start()
    print(f"{started:%H:%M:%S} {name}: {users} users for {run_time}", flush=True)
    with open(stack.out / f"{name}-locust.log", "wb") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=locust_env, stdout=log, stderr=log)
        events = []
        if outage:
            at, seconds = outage
            time.sleep(at)
            events.append(f"{datetime.now(UTC):%H:%M:%S} Redis shut down")
            stack.stop_redis()
            time.sleep(seconds)
            stack.start_redis()
            events.append(f"{datetime.now(UTC):%H:%M:%S} Redis started again (empty)")
            print("   " + "; ".join(events), flush=True)
        locust.wait()
    sampler.done.set()
    sampler.join()
    ended = datetime.now(UTC)
    stats = read_stats(prefix)
    failures = read_failures(prefix)
    checked = django(env, "verify", str(writes))
    total = next(row for row in stats if row["Name"] == "Aggregated")
    return {
        "name": name, "users": users, "started": started, "ended": ended, "events": events,
        "load": [load_before, *sampler.samples], "stats": stats, "failures": failures,
        "total": total, "server errors": server_errors(failures), "writes": checked,
    }  # fmt: skip


def ms(value: str) -> str:
    return "" if value in ("", "N/A") else f"{float(value):,.0f}"


def summary(args, results: list[dict], out: Path) -> str:
    lines = [
        f"Load test of {args.database_url.rsplit('/', 1)[-1]}: gunicorn {args.workers} workers × "
        f"{args.threads} threads, Celery worker concurrency {args.celery_concurrency}, Redis on "
        f"port {args.redis_port}, {os.cpu_count()} cores. Times in ms.",
        "",
        "| run | users | UTC | requests | req/s | failures | 5xx | p50 | p95 | p99 | max "
        "| load avg (min-max) |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        total = result["total"]
        load = result["load"]
        lines.append(
            f"| {result['name']} | {result['users']} | {result['started']:%H:%M}-"
            f"{result['ended']:%H:%M} | {int(total['Request Count']):,} | "
            f"{float(total['Requests/s']):.1f} | {int(total['Failure Count']):,} | "
            f"{result['server errors']} | {ms(total['50%'])} | {ms(total['95%'])} | "
            f"{ms(total['99%'])} | {ms(total['Max Response Time'])} | "
            f"{min(load):.1f}-{max(load):.1f} |"
        )
    lines += ["", "Writes confirmed by the app against the database after each run:", ""]
    keys = list(results[0]["writes"]) if results else []
    lines.append("| " + " | ".join(["run", *keys]) + " |")
    lines.append("| --- |" + " ---: |" * len(keys))
    for result in results:
        values = [f"{result['writes'][key]:,}" for key in keys]
        lines.append("| " + " | ".join([result["name"], *values]) + " |")
    for result in results:
        lines += [
            "",
            f"### {result['name']}: {result['users']} users, "
            f"{result['started']:%Y-%m-%d %H:%M}-{result['ended']:%H:%M} UTC",
            "",
        ]
        if result["events"]:
            lines += ["Outage: " + "; ".join(result["events"]) + ".", ""]
        lines += [
            "| endpoint | requests | failures | req/s | p50 | p95 | p99 | max |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in result["stats"]:
            lines.append(
                f"| {row['Name']} | {int(row['Request Count']):,} | {int(row['Failure Count']):,}"
                f" | {float(row['Requests/s']):.2f} | {ms(row['50%'])} | {ms(row['95%'])} | "
                f"{ms(row['99%'])} | {ms(row['Max Response Time'])} |"
            )
        if result["failures"]:
            lines += ["", "| failure | endpoint | occurrences |", "| --- | --- | ---: |"]
            for row in result["failures"]:
                error = row["Error"].replace("|", "/")[:160]
                lines.append(f"| {error} | {row['Method']} {row['Name']} | {row['Occurrences']} |")
    text = "\n".join(lines) + "\n"
    (out / "summary.md").write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="10,25,50,100", help="users of the load runs")
    parser.add_argument("--run-time", default="5m", help="length of each load run")
    parser.add_argument("--steps", default="load,outage", help="load, outage or both")
    parser.add_argument("--outage-users", type=int, default=25)
    parser.add_argument("--outage-run-time", default="3m")
    parser.add_argument("--outage-at", type=int, default=60, help="seconds into the run")
    parser.add_argument("--outage-seconds", type=int, default=30)
    parser.add_argument("--warmup", default="30s", help="an unrecorded run at 5 users first")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (= cores)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--out", default="data/load", help="results go to OUT/<UTC time>/")
    args = parser.parse_args()
    args.database_url = os.environ.get("DATABASE_URL", "")
    if not args.database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database with the benchmark data.")
    for tool in ("redis-server", "redis-cli"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = (ROOT / args.out / stamp).resolve()
    out.mkdir(parents=True)
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-" + "x" * 40),
        "DEBUG": "0",
        "KAM_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "KAM_LOAD_USERS": ",".join(KAMS),
        "KAM_LOAD_HEADS": "bench_head",
        "KAM_LOAD_PASSWORD": PASSWORD,
    }
    prepared = django(env, "prepare", stamp)
    env["KAM_LOAD_TOKEN"] = ",".join(prepared["keys"])
    env["KAM_LOAD_SESSIONS"] = json.dumps(prepared["sessions"])
    (out / "prepared.json").write_text(json.dumps([stamp, list(prepared["sessions"].values())]))
    stack = Stack(args, out, env)
    results = []
    try:
        stack.start()
        if args.warmup and args.warmup != "0":
            one_run(args, stack, env, "warmup", 5, args.warmup)
        steps = args.steps.split(",")
        if "load" in steps:
            for users in (int(users) for users in args.users.split(",")):
                results.append(one_run(args, stack, env, f"u{users}", users, args.run_time))
                summary(args, results, out)
        if "outage" in steps:
            outage = (args.outage_at, args.outage_seconds)
            name = f"outage-u{args.outage_users}"
            results.append(
                one_run(args, stack, env, name, args.outage_users, args.outage_run_time, outage)
            )
    finally:
        stack.stop()
        django(env, "cleanup", str(out / "prepared.json"))
    print(summary(args, results, out))
    print(f"Results in {out}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] in ("prepare", "cleanup", "verify"):
        {"prepare": prepare, "cleanup": cleanup, "verify": verify}[sys.argv[1]](sys.argv[2])
    else:
        main()
