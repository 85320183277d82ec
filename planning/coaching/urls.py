"""Coaching plan pages under /planning/coaching/ (the "planning:" namespace)."""

from django.urls import path

from planning.coaching import views

urlpatterns = [
    path(
        "account/<int:pk>/section/",
        views.account_section,
        name="coaching_account_section",
    ),
    path("account/<int:pk>/new/", views.plan_create, name="coaching_plan_create"),
    path("<int:pk>/", views.plan_detail, name="coaching_plan"),
    path("<int:pk>/edit/", views.plan_edit, name="coaching_plan_edit"),
    path("<int:pk>/materials/", views.material_add, name="coaching_material_add"),
    path(
        "<int:pk>/materials/<int:material_id>/delete/",
        views.material_delete,
        name="coaching_material_delete",
    ),
    path(
        "<int:pk>/materials/<int:material_id>/download/",
        views.material_download,
        name="coaching_material_download",
    ),
    path("<int:pk>/sessions/", views.session_add, name="coaching_session_add"),
    path("<int:pk>/briefing/", views.briefing_sheet, name="briefing_sheet"),
    path("<int:pk>/briefing/confirm/", views.briefing_confirm, name="briefing_confirm"),
]
