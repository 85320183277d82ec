"""Demo data: last year's held review with rendered folders and this year's in preparation,
for the biggest demo key account; running the seed again adds nothing."""

from reviews import demo
from reviews.models import AnnualReview, FolderVersion
from tests.reviews.conftest import THIS_YEAR


def test_demo_reviews_for_the_biggest_key_account(demo_users):
    users = demo_users
    held = AnnualReview.objects.get(year=THIS_YEAR - 1)
    preparing = AnnualReview.objects.get(year=THIS_YEAR)
    assert held.account == preparing.account
    assert held.status == AnnualReview.Status.HELD
    assert preparing.status == AnnualReview.Status.PREPARING
    versions = list(held.versions.order_by("number"))
    assert [v.status for v in versions] == [FolderVersion.Status.DONE] * 2
    assert [v.internal for v in versions] == [False, True]
    assert all(v.file.storage.exists(v.file.name) for v in versions)
    assert preparing.market_data.count() == held.market_data.count() > 0
    assert demo.seed(users) == 0
