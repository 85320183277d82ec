from django.urls import path

from portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/accounts/", views.dashboard_accounts, name="dashboard_accounts"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("readiness/", views.readiness, name="readiness"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path(
        "suggestions/<int:account_id>/accept/",
        views.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "suggestions/<int:account_id>/reject/",
        views.suggestion_reject,
        name="suggestion_reject",
    ),
    path("account/<int:pk>/health/", views.account_health, name="account_health"),
]
