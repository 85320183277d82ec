"""No text of the folder runs off the page: every text box of WeasyPrint's layout ends
inside the page's content box, for a group of 20 subsidiaries with long names (both
versions; the demo folders are checked in test_demo_folder.py)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from accounts.models import YearlyFigures
from contracts.models import Contract
from customer_care.models import CustomerIssue, Department, ensure_default_departments
from reviews import pdf, services
from tests.factories import make_account, make_contact
from tests.reviews.conftest import THIS_YEAR
from tests.reviews.helpers import boxes_past_the_right_edge

LONG = "Internationale Antriebs- und Steuerungstechnik Beteiligungsgesellschaft"


def test_group_of_20_with_long_names_stays_on_the_page(kam, account):
    ensure_default_departments()
    department = Department.objects.order_by("position").first()
    contacts = []
    for number in range(20):
        child = make_account(owner=kam, name=f"{LONG} {number:02d} GmbH", parent=account)
        YearlyFigures.objects.create(
            account=child, year=THIS_YEAR - 1, revenue=Decimal("987654321"),
            contribution_margin=Decimal("123456789"), revenue_target=Decimal("999999999"),
            revenue_potential=Decimal("1999999999"),
        )  # fmt: skip
        Contract.objects.create(
            account=child, number=f"RAHMENVERTRAG-{number:02d}", title=f"Liefervertrag {LONG}",
            start_on=date(THIS_YEAR - 1, 1 + number % 12, 1), annual_value=Decimal("98765432"),
            status=Contract.Status.ACTIVE, owner=kam,
        )  # fmt: skip
        opened = datetime(THIS_YEAR - 1, 1 + number % 12, 10, 9, tzinfo=UTC)
        CustomerIssue.objects.create(
            account=child, title=f"Anliegen {LONG} {number:02d}", opened_at=opened,
            due_on=opened.date() + timedelta(days=5), owner=kam, department=department,
        )  # fmt: skip
        contacts.append(
            make_contact(
                account=child,
                first_name="Maximiliane-Friederike",
                last_name=f"Oberbuchhalter-Schmidt{number:02d}",
                job_title=f"Bereichsleitung Strategischer Einkauf {LONG}",
                email=f"maximiliane.oberbuchhalter-schmidt{number:02d}@{'x' * 40}.example",
            )  # fmt: skip
        )
    review = services.review_create(
        actor=kam, account=account, year=THIS_YEAR, customer_participants=contacts
    )
    services.project_save(
        actor=kam, review=review, area="product", title=f"Pilot {LONG}", goal=LONG,
        target="1.000.000.000 €",
    )  # fmt: skip

    for internal in (False, True):
        html = pdf.render_folder_html(review, internal=internal, language="de")
        assert boxes_past_the_right_edge(html) == [], internal
