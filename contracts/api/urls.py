"""Contracts under /api/v1/ (kam/urls.py mounts this module there)."""

from django.urls import path

from contracts.api import views

urlpatterns = [
    path("contracts/", views.ContractList.as_view(), name="api-contract-list"),
    path("contracts/<int:pk>/", views.ContractDetail.as_view(), name="api-contract-detail"),
    path(
        "contracts/<int:pk>/documents/",
        views.DocumentList.as_view(),
        name="api-contract-documents",
    ),
    path(
        "contracts/<int:pk>/documents/<int:document_id>/",
        views.DocumentDetail.as_view(),
        name="api-contract-document",
    ),
    path(
        "contracts/<int:pk>/documents/<int:document_id>/download/",
        views.DocumentDownload.as_view(),
        name="api-contract-document-download",
    ),
]
