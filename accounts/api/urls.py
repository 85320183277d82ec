"""Accounts and contacts under /api/v1/ (kam/urls.py mounts this module there)."""

from django.urls import path

from accounts.api import changes, views

urlpatterns = [
    path("accounts/", views.AccountList.as_view(), name="api-account-list"),
    path("accounts/<int:pk>/", views.AccountDetail.as_view(), name="api-account-detail"),
    path("accounts/<int:pk>/team/", views.TeamList.as_view(), name="api-account-team"),
    path(
        "accounts/<int:pk>/team/<int:membership_id>/",
        views.TeamMember.as_view(),
        name="api-account-team-member",
    ),
    path(
        "accounts/<int:pk>/financials/",
        views.FiguresList.as_view(),
        name="api-account-financials",
    ),
    path(
        "accounts/<int:pk>/financials/<int:year>/",
        views.FiguresYear.as_view(),
        name="api-account-financials-year",
    ),
    path("contacts/", views.ContactList.as_view(), name="api-contact-list"),
    path("contacts/<int:pk>/", views.ContactDetail.as_view(), name="api-contact-detail"),
    path(
        "contacts/<int:pk>/personal-data/",
        views.ContactPersonalData.as_view(),
        name="api-contact-personal-data",
    ),
    path("contacts/<int:pk>/erase/", views.ContactErase.as_view(), name="api-contact-erase"),
    path("changes/", changes.ChangeList.as_view(), name="api-change-list"),
]
