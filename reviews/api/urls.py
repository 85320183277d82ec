"""Annual reviews under /api/v1/ (kam/urls.py mounts this module there)."""

from django.urls import path

from reviews.api import views

R = "reviews/<int:pk>/"

urlpatterns = [
    path("reviews/", views.ReviewList.as_view(), name="api-review-list"),
    path(R, views.ReviewDetail.as_view(), name="api-review-detail"),
    path(f"{R}sections/<str:kind>/", views.SectionDetail.as_view(), name="api-review-section"),
    path(
        f"{R}sections/<str:kind>/refresh/",
        views.SectionRefresh.as_view(),
        name="api-review-section-refresh",
    ),
    path(
        f"{R}sections/<str:kind>/customer-items/",
        views.SectionCustomerItems.as_view(),
        name="api-review-section-customer-items",
    ),
    path(f"{R}agenda-items/", views.AgendaList.as_view(), name="api-review-agenda"),
    path(
        f"{R}agenda-items/<int:item_id>/",
        views.AgendaDetail.as_view(),
        name="api-review-agenda-item",
    ),
    path(f"{R}topics/", views.TopicList.as_view(), name="api-review-topics"),
    path(f"{R}topics/<int:item_id>/", views.TopicDetail.as_view(), name="api-review-topic"),
    path(f"{R}market-data/", views.MarketList.as_view(), name="api-review-market"),
    path(
        f"{R}market-data/<int:item_id>/",
        views.MarketDetail.as_view(),
        name="api-review-market-row",
    ),
    path(f"{R}projects/", views.ProjectList.as_view(), name="api-review-projects"),
    path(f"{R}projects/<int:item_id>/", views.ProjectDetail.as_view(), name="api-review-project"),
    path(f"{R}agreements/", views.AgreementList.as_view(), name="api-review-agreements"),
    path(
        f"{R}agreements/<int:item_id>/",
        views.AgreementDetail.as_view(),
        name="api-review-agreement",
    ),
    path(f"{R}follow-up/", views.FollowUp.as_view(), name="api-review-follow-up"),
    path(f"{R}render/", views.Render.as_view(), name="api-review-render"),
    path(f"{R}versions/", views.VersionList.as_view(), name="api-review-versions"),
    path(
        f"{R}versions/<int:version_id>/",
        views.VersionDetail.as_view(),
        name="api-review-version",
    ),
    path(
        f"{R}versions/<int:version_id>/download/",
        views.VersionDownload.as_view(),
        name="api-review-download",
    ),
]
