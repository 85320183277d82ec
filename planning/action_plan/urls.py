from django.urls import path

from planning.action_plan import views

# Included by planning/urls.py at /planning/ in the "planning:" namespace.
urlpatterns = [
    path("", views.plans, name="plans"),
    path(
        "action-plan/account/<int:pk>/section/",
        views.account_section,
        name="action_plan_account_section",
    ),
    path(
        "action-plan/account/<int:pk>/objectives/",
        views.objective_create,
        name="action_plan_objective_create",
    ),
    path(
        "action-plan/objectives/<int:pk>/edit/",
        views.objective_edit,
        name="action_plan_objective_edit",
    ),
    path(
        "action-plan/objectives/<int:pk>/adjust/",
        views.objective_adjust,
        name="action_plan_objective_adjust",
    ),
    path(
        "action-plan/objectives/<int:pk>/actions/",
        views.action_create,
        name="action_plan_action_create",
    ),
    path("action-plan/actions/<int:pk>/done/", views.action_done, name="action_plan_action_done"),
    path(
        "action-plan/actions/<int:pk>/reopen/",
        views.action_reopen,
        name="action_plan_action_reopen",
    ),
]
