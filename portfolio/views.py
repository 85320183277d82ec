"""Portfolio pages. Each reads through the access scope and writes through services."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from kam.htmx import render_page
from portfolio import charts, selectors


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def cockpit(request: HttpRequest) -> HttpResponse:
    data = selectors.cockpit(request.user, year=_year(request))
    context = {
        "nav": "portfolio",
        "cockpit": data,
        "summary": data.summary,
        "pareto_chart": charts.pareto(data),
        "hhi_chart": charts.hhi_trend(data),
        "shares_chart": charts.top_shares(data),
        "sees_all": request.user.sees_all_accounts,
    }
    return render_page(request, "portfolio/cockpit.html", context)
