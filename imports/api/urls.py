"""Bulk upserts under /api/v1/ (kam/urls.py mounts this module there, before the apps'
own routes)."""

from django.urls import path

from imports.api import views

urlpatterns = [
    path("accounts/bulk/", views.AccountsBulk.as_view(), name="api-accounts-bulk"),
    path("contacts/bulk/", views.ContactsBulk.as_view(), name="api-contacts-bulk"),
    path("financials/bulk/", views.FinancialsBulk.as_view(), name="api-financials-bulk"),
]
