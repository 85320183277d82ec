"""Opportunities, competitors and stages under /api/v1/ (kam/urls.py mounts this module)."""

from django.urls import path

from deals.api import views

urlpatterns = [
    path("opportunities/", views.OpportunityList.as_view(), name="api-opportunity-list"),
    path(
        "opportunities/<int:pk>/",
        views.OpportunityDetail.as_view(),
        name="api-opportunity-detail",
    ),
    path(
        "opportunities/<int:pk>/competitors/",
        views.OpportunityCompetitors.as_view(),
        name="api-opportunity-competitors",
    ),
    path(
        "opportunities/<int:pk>/competitors/<int:competitor_id>/",
        views.OpportunityCompetitor.as_view(),
        name="api-opportunity-competitor",
    ),
    path("competitors/", views.CompetitorList.as_view(), name="api-competitor-list"),
    path("stages/", views.StageList.as_view(), name="api-stage-list"),
    path("pipeline/changes/", views.PipelineChangesView.as_view(), name="api-pipeline-changes"),
    path("pipeline/win-loss/", views.WinLossView.as_view(), name="api-win-loss"),
]
