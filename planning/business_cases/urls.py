from django.urls import path

from planning.business_cases import views

# Mounted under /planning/business-cases/ in the "planning:" namespace.
urlpatterns = [
    path(
        "account/<int:pk>/section/",
        views.account_section,
        name="business_cases_account_section",
    ),
    path("account/<int:pk>/new/", views.case_create, name="business_case_create"),
    path("<int:case_id>/", views.case_detail, name="business_case_detail"),
    path("<int:case_id>/edit/", views.case_edit, name="business_case_edit"),
    path("<int:case_id>/delete/", views.case_delete, name="business_case_delete"),
    path(
        "<int:case_id>/scenarios/new/",
        views.scenario_create,
        name="business_case_scenario_create",
    ),
    path(
        "<int:case_id>/scenarios/<int:scenario_id>/edit/",
        views.scenario_edit,
        name="business_case_scenario_edit",
    ),
    path(
        "<int:case_id>/scenarios/<int:scenario_id>/delete/",
        views.scenario_delete,
        name="business_case_scenario_delete",
    ),
]
