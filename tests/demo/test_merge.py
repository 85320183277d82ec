"""A merge moves every related record: the demo account with the most related rows is
merged into a new account, and every table that points to an account (found through the
models' _meta, so a table added later is counted too) is counted before and after."""

from django.db.models import Sum

from accounts import merge
from accounts.models import Account, Contact, YearlyFigures
from tests.factories import make_account


def _counts(relations, *account_ids: int) -> dict[str, list[int]]:
    return {
        relation.label: [relation.rows(Account(pk=pk)).count() for pk in account_ids]
        for relation in relations
    }


def test_merge_moves_every_related_record_and_keeps_the_totals(demo_users):
    head = demo_users["leitung"]
    relations = merge.relations(Account)

    def related_rows(account: Account) -> int:
        return sum(relation.rows(account).count() for relation in relations)

    merged = max(Account.objects.all(), key=related_rows)
    survivor = make_account(owner=head, name="Neue Firma", city="")
    before = _counts(relations, merged.pk, survivor.pk)
    revenue = YearlyFigures.objects.aggregate(total=Sum("revenue"))["total"]
    contacts = Contact.objects.count()
    live = [
        label
        for label, (of_merged, _of_survivor) in before.items()
        if of_merged and ".Historical" not in label
    ]
    # The demo account touches most kinds of records: the test is about all of them.
    for expected in (
        "accounts.Contact.account",
        "accounts.YearlyFigures.account",
        "accounts.TeamMembership.account",
        "activities.Activity.account",
        "deals.Opportunity.account",
        "contracts.Contract.account",
    ):
        assert expected in live

    record = merge.account_merge(actor=head, survivor=survivor, merged=merged)

    after = _counts(relations, merged.pk, survivor.pk)
    for label, (of_merged, of_survivor) in before.items():
        assert after[label][0] == 0, label
        extra = 1 if label == "accounts.Merge.account" else 0
        if label == "accounts.AccountPlacement.account":
            # Where the merged account stood goes with it: the survivor's places stand.
            assert after[label][1] == of_survivor, label
        elif label == "accounts.AccountPlacement.parent":
            # Its subsidiaries' past places move along, and their move adds the new ones.
            assert after[label][1] >= of_merged + of_survivor, label
        elif ".Historical" in label:
            # History moves too; the merge itself may add rows (the survivor's changes).
            assert after[label][1] >= of_merged + of_survivor, label
        else:
            assert after[label][1] == of_merged + of_survivor + extra, label
    assert YearlyFigures.objects.aggregate(total=Sum("revenue"))["total"] == revenue
    assert Contact.objects.count() == contacts
    assert record.moved["accounts.Contact.account"] == before["accounts.Contact.account"][0]
    assert not Account.objects.filter(pk=merged.pk).exists()
