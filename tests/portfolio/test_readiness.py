"""The KAM readiness check: score, advice per weak answer, history, who may fill it in."""

import pytest
from django.urls import reverse

from portfolio.models import ReadinessAssessment

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:readiness")
ANSWERS = {
    "cross_selling": 5, "needs_advice": 4, "team_capacity": 2, "financial_resources": 3,
    "know_how": 4, "travel": 1, "management_backing": 5, "notes": "Vor dem Jahresstart",
}  # fmt: skip


def test_head_of_sales_assesses_and_gets_advice_for_weak_answers(head_client, head_of_sales):
    response = head_client.post(URL, ANSWERS, follow=True)
    assessment = ReadinessAssessment.objects.get()
    assert assessment.assessed_by == head_of_sales
    # (24 - 7) × 100 / 28 = 60.7
    assert assessment.score == 61
    assert assessment.weak == ["team_capacity", "travel"]
    html = response.content.decode()
    assert "61 von 100" in html
    assert "Reisebereitschaft" in html and "KAM-Team" in html
    head_client.post(URL, {**ANSWERS, "travel": 4})
    assert ReadinessAssessment.objects.count() == 2  # the history keeps both


def test_a_missing_answer_is_refused_in_place(head_client):
    response = head_client.post(URL, {**ANSWERS, "travel": ""})
    assert response.status_code == 422
    assert not ReadinessAssessment.objects.exists()


def test_a_key_account_manager_may_not(kam_client):
    assert kam_client.get(URL).status_code == 403
    assert kam_client.post(URL, ANSWERS).status_code == 403
    assert not ReadinessAssessment.objects.exists()
