"""The benchmark generators at a tiny scale: the same code that fills 100,000 accounts and
10 million activities (COPY in batches on PostgreSQL, bulk_create on SQLite) writes a
consistent data set that the benchmark's users can sign in to and open."""

import pytest
from django.db import models

from accounts.models import Account, Contact
from activities.models import Activity, FollowUp
from benchmarks import bulk, generate, generate_desk, generate_planning
from customer_care.models import ensure_default_departments
from deals.models import Opportunity
from planning.models import AccountPlan, Objective
from tests.deals.conftest import ensure_default_stages
from users.models import User


@pytest.fixture
def generators(monkeypatch):
    """The generators switch auto_now off on the field objects of their process: put them
    back for the tests that follow. VACUUM cannot run in the test's transaction."""
    saved = [
        (field, field.auto_now, field.auto_now_add, field.__dict__.get("pre_save"))
        for model in (*generate_desk.__dict__.values(), *generate_planning.__dict__.values())
        if isinstance(model, type) and issubclass(model, models.Model)
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
    ]
    for module in (generate, generate_desk, generate_planning):
        monkeypatch.setattr(module, "vacuum_analyze", lambda: 0)
    monkeypatch.setattr(bulk, "BATCH", 7)  # several COPY batches even at this size
    ensure_default_stages()
    ensure_default_departments()
    yield
    for field, auto_now, auto_now_add, pre_save in saved:
        field.auto_now, field.auto_now_add = auto_now, auto_now_add
        if pre_save is None:
            field.__dict__.pop("pre_save", None)
        else:
            field.pre_save = pre_save


def test_a_tiny_benchmark_data_set_with_a_huge_group(db, generators, client):
    generate.main(["--accounts", "700", "--contacts", "900", "--years", "2", "--kams", "3",
                   "--reps", "2", "--huge-groups", "1"])  # fmt: skip
    generate_desk.main(["--activities", "300", "--loose-follow-ups", "5",
                        "--opportunities", "60", "--contracts", "20", "--issues", "20",
                        "--surveys", "10"])  # fmt: skip
    generate_planning.main(["--share", "0.02", "--coaching-plans", "2", "--business-cases", "3"])

    assert Account.objects.count() == 700
    assert Contact.objects.count() == 900
    roots = Account.objects.filter(parent__isnull=True)
    sizes = [Account.objects.filter(path__startswith=r.path).count() for r in roots]
    assert max(sizes) > 100  # the huge group: 100-200 subsidiaries
    assert Activity.objects.count() == 300
    # Ids from the sequence (PostgreSQL) or the insert: the participants point at them.
    assert Activity.contacts.through.objects.filter(activity__subject__gt="").count() >= 300
    assert not Activity.objects.filter(updated_at__isnull=True).exists()
    assert FollowUp.objects.filter(activity__isnull=True).count() >= 5
    assert Opportunity.objects.count() == 60
    assert AccountPlan.objects.exists() and Objective.objects.exists()

    kam = User.objects.get(username="bench_kam_0")
    assert kam.check_password(generate.BENCH_PASSWORD)
    client.force_login(kam)
    assert client.get("/api/v1/activities/").json()["results"]
