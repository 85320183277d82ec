"""Issue 27: a key account is the group. The key-account share counts a group by its root's
status, and a subsidiary is classified with its group's figures (the page says so)."""

import pytest

from accounts.models import Account
from portfolio import classification, concentration
from portfolio.sentences import suggestion_sentence
from tests.portfolio.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_key_account_share_counts_the_whole_group(portfolio):
    # The USA subsidiary is kept as a standard customer; its group is a key account.
    Account.objects.filter(pk=portfolio["weber_us"].pk).update(status=Account.Status.STANDARD)
    summary = next(s for s in concentration.year_summaries() if s.year == YEAR)
    assert summary.key_share == 60  # the whole Weber group, not 30 %


def test_a_subsidiary_is_classified_with_its_group(portfolio, settings):
    settings.LANGUAGE_CODE = "en"
    suggestion = classification.suggestion_for(portfolio["weber_fr"], year=YEAR)
    # Alone 20 % (a standard customer); its group holds 60 % of revenue.
    assert suggestion.revenue_share == 60
    assert suggestion.suggested_status == Account.Status.KEY_ACCOUNT
    assert suggestion.group_name == "Weber Holding AG"
    assert "Weber Holding AG" in suggestion_sentence(suggestion)
