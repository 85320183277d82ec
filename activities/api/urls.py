"""Activities and follow-ups under /api/v1/ (kam/urls.py mounts this module there)."""

from django.urls import path

from activities.api import views

urlpatterns = [
    path("activities/", views.ActivityList.as_view(), name="api-activity-list"),
    path("activities/<int:pk>/", views.ActivityDetail.as_view(), name="api-activity-detail"),
    path("follow-ups/", views.FollowUpList.as_view(), name="api-follow-up-list"),
    path("follow-ups/<int:pk>/", views.FollowUpDetail.as_view(), name="api-follow-up-detail"),
]
