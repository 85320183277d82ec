"""Writes on reviews: filled from live data, refresh with changes, bad input refused with
nothing half-saved, agreements as follow-ups, follow-up into the action plan once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Account, YearlyFigures
from accounts.services import team_member_set
from activities.models import FollowUp
from planning.models import Objective
from reviews import notes, services
from reviews.models import AgendaItem, AnnualReview, Section
from reviews.selectors import overdue_key_accounts
from tests.factories import make_account, make_contact
from tests.reviews.conftest import THIS_YEAR


def test_review_is_filled_from_live_data(review, contract):
    sections = {s.kind: s for s in review.sections.all()}
    assert set(sections) == {kind for kind, _ in Section.Kind.choices}
    rows = {row["year"]: row for row in sections[Section.Kind.FIGURES].data["rows"]}
    assert rows[THIS_YEAR - 1]["revenue"] == "1480000.00"
    assert rows[THIS_YEAR - 1]["attainment"] == "105.70"
    assert rows[THIS_YEAR - 1]["contract_value"] == "500000.00"
    events = sections[Section.Kind.RELATIONSHIP].data["events"]
    assert any(e["kind"] == "contract.started" for e in events)
    assert "Kunde seit" in sections[Section.Kind.RELATIONSHIP].text


def test_contract_near_its_notice_deadline_is_proposed_as_a_topic(review, contract):
    topic = review.topics.get()
    assert topic.contract == contract
    assert topic.renegotiate
    assert "RV-7" in topic.title


def test_group_figures_are_rolled_up(kam, account, figures):
    child = make_account(owner=kam, name="Müller Polska", parent=account)
    YearlyFigures.objects.create(account=child, year=THIS_YEAR - 1, revenue=Decimal("20000"))
    review = services.review_create(actor=kam, account=account, year=THIS_YEAR)
    data = review.sections.get(kind=Section.Kind.FIGURES).data
    rows = {row["year"]: row for row in data["rows"]}
    assert rows[THIS_YEAR - 1]["revenue"] == "1500000.00"
    assert data["group"] is True


def test_second_review_for_same_year_is_refused(review, kam, account):
    with pytest.raises(ValidationError) as error:
        services.review_create(actor=kam, account=account, year=THIS_YEAR)
    assert "year" in error.value.message_dict
    assert AnnualReview.objects.count() == 1


def test_closed_year_needs_a_reason(kam, account):
    with pytest.raises(ValidationError) as error:
        services.review_create(
            actor=kam, account=account, year=THIS_YEAR - 1, meeting_on=date(THIS_YEAR - 1, 5, 2)
        )
    assert "abgeschlossenes Jahr" in error.value.message_dict["backdate_reason"][0]
    assert not AnnualReview.objects.exists()
    review = services.review_create(
        actor=kam, account=account, year=THIS_YEAR - 1, meeting_on=date(THIS_YEAR - 1, 5, 2),
        backdate_reason="Nachgetragen",
    )  # fmt: skip
    assert review.sections.count() == 7


def test_participant_from_another_group_is_refused(kam, account):
    stranger = make_contact(account=make_account(owner=kam, name="Andere AG"))
    with pytest.raises(ValidationError) as error:
        services.review_create(
            actor=kam, account=account, year=THIS_YEAR, customer_participants=[stranger]
        )
    assert "customer_participants" in error.value.message_dict
    assert not AnnualReview.objects.exists()


def test_outsider_and_reader_may_not_create(outsider, sales_rep, account):
    team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    for user in (outsider, sales_rep):
        with pytest.raises(PermissionDenied):
            services.review_create(actor=user, account=account, year=THIS_YEAR)
    assert not AnnualReview.objects.exists()


def test_folder_language_follows_the_main_contact(kam, account):
    make_contact(account=account, preferred_language="en", buying_role="decision_maker")
    review = services.review_create(actor=kam, account=account, year=THIS_YEAR)
    assert review.language == "en"


def test_refresh_shows_what_changed_and_keeps_the_text(review, kam, account):
    section = review.sections.get(kind=Section.Kind.FIGURES)
    services.section_update(actor=kam, section=section, text="Unser Kommentar")
    YearlyFigures.objects.filter(account=account, year=THIS_YEAR - 1).update(
        revenue=Decimal("1500000")
    )
    section = services.section_refresh(actor=kam, section=section)
    assert section.text == "Unser Kommentar"
    changes = notes.render_all(section.changes)
    assert any("Umsatz" in change and "1.500.000" in change for change in changes)
    assert {r["year"]: r for r in section.data["rows"]}[THIS_YEAR - 1]["revenue"] == "1500000.00"


def test_agenda_item_without_title_is_refused(review, kam):
    with pytest.raises(ValidationError) as error:
        services.agenda_item_save(actor=kam, review=review, title="  ")
    assert "title" in error.value.message_dict
    assert not AgendaItem.objects.exists()


def test_agenda_items_keep_their_order_and_move(review, kam):
    first = services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    second = services.agenda_item_save(actor=kam, review=review, title="Kennzahlen")
    services.agenda_item_move(actor=kam, item=second, up=True)
    assert [i.title for i in review.agenda.all()] == ["Kennzahlen", "Begrüßung"]
    assert first.pk != second.pk


def test_agreement_with_owner_and_date_is_a_follow_up(review, kam):
    due = timezone.localdate() + timedelta(days=7)
    agreement = services.agreement_add(
        actor=kam, review=review, text="Angebot senden", owner=kam, due_on=due
    )
    follow_up = FollowUp.objects.get()
    assert agreement.follow_up == follow_up
    assert (follow_up.owner, follow_up.due_on, follow_up.source) == (kam, due, "review")


def test_agreement_with_owner_but_no_date_is_refused(review, kam):
    with pytest.raises(ValidationError):
        services.agreement_add(actor=kam, review=review, text="Angebot", owner=kam)
    assert not FollowUp.objects.exists()
    assert not review.agreements.exists()


def test_market_data_is_copied_from_last_year(kam, account):
    last = services.review_create(
        actor=kam, account=account, year=THIS_YEAR - 1, backdate_reason="Nachgetragen"
    )
    services.market_figure_save(actor=kam, review=last, topic="Marktvolumen", figure="4 Mrd")
    this = services.review_create(actor=kam, account=account, year=THIS_YEAR)
    assert services.market_data_copy_from_last_year(actor=kam, review=this) == 1
    assert services.market_data_copy_from_last_year(actor=kam, review=this) == 0
    assert list(this.market_data.values_list("topic", flat=True)) == ["Marktvolumen"]


def test_follow_up_turns_projects_into_objectives_once(review, kam):
    services.project_save(actor=kam, review=review, area="logistics", title="Konsignationslager")
    with pytest.raises(ValidationError):
        services.review_follow_up(actor=kam, review=review)  # not held yet
    services.review_update(
        actor=kam, review=review, status=AnnualReview.Status.HELD, meeting_on=timezone.localdate()
    )
    assert services.review_follow_up(actor=kam, review=review) == 1
    assert services.review_follow_up(actor=kam, review=review) == 0
    objective = Objective.objects.get()
    assert objective.year == THIS_YEAR + 1
    assert "Konsignationslager" in objective.title
    review.refresh_from_db()
    assert review.status == AnnualReview.Status.FOLLOWED_UP


def test_overdue_lists_key_accounts_without_a_recent_review(kam, account):
    Account.objects.filter(pk=account.pk).update(status=Account.Status.KEY_ACCOUNT)
    assert list(overdue_key_accounts(kam)) == [account]
    review = services.review_create(
        actor=kam, account=account, year=THIS_YEAR, meeting_on=timezone.localdate()
    )
    services.review_update(actor=kam, review=review, status=AnnualReview.Status.HELD)
    assert list(overdue_key_accounts(kam)) == []


def test_project_target_carries_over_into_the_objective(review, kam):
    services.project_save(
        actor=kam, review=review, area="sales", title="Ersatzteilgeschäft", target="1.250.000 €"
    )
    services.project_save(
        actor=kam, review=review, area="logistics", title="Konsignationslager", target="48 h"
    )
    services.review_update(
        actor=kam, review=review, status=AnnualReview.Status.HELD, meeting_on=timezone.localdate()
    )
    assert services.review_follow_up(actor=kam, review=review) == 2
    amounts = dict(Objective.objects.values_list("title", "target_value"))
    assert amounts["Vertrieb: Ersatzteilgeschäft"] == Decimal("1250000")
    assert amounts["Logistik: Konsignationslager (Zielwert: 48 h)"] is None


def test_target_amount_reads_the_reviews_language():
    assert services.target_amount("1.250.000,50 €", language="de") == Decimal("1250000.50")
    assert services.target_amount("1,250,000.50 €", language="en") == Decimal("1250000.50")
    assert services.target_amount("+5 %", language="de") is None
