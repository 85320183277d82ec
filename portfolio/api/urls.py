"""The portfolio under /api/v1/ (kam/urls.py mounts this module there)."""

from django.urls import path

from portfolio.api import views

urlpatterns = [
    path("portfolio/", views.PortfolioView.as_view(), name="api-portfolio"),
    path(
        "portfolio/accounts/", views.PortfolioAccountList.as_view(), name="api-portfolio-accounts"
    ),
    path(
        "portfolio/company-totals/",
        views.CompanyTotalsList.as_view(),
        name="api-portfolio-company-totals",
    ),
    path(
        "portfolio/company-totals/<int:year>/",
        views.CompanyTotalsYear.as_view(),
        name="api-portfolio-company-totals-year",
    ),
    path(
        "portfolio/suggestions/",
        views.SuggestionList.as_view(),
        name="api-portfolio-suggestions",
    ),
    path(
        "portfolio/suggestions/<int:account_id>/accept/",
        views.SuggestionAccept.as_view(),
        name="api-portfolio-suggestion-accept",
    ),
    path(
        "portfolio/suggestions/<int:account_id>/reject/",
        views.SuggestionReject.as_view(),
        name="api-portfolio-suggestion-reject",
    ),
    path("accounts/<int:pk>/health/", views.AccountHealth.as_view(), name="api-account-health"),
]
