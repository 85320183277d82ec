"""Customer issues, surveys and departments under /api/v1/ (kam/urls.py mounts this)."""

from django.urls import path

from customer_care.api import views

urlpatterns = [
    path("issues/", views.IssueList.as_view(), name="api-issue-list"),
    path("issues/<int:pk>/", views.IssueDetail.as_view(), name="api-issue-detail"),
    path("surveys/", views.SurveyList.as_view(), name="api-survey-list"),
    path("surveys/<int:pk>/", views.SurveyDetail.as_view(), name="api-survey-detail"),
    path("departments/", views.DepartmentList.as_view(), name="api-department-list"),
    path("accounts/<int:pk>/nps/", views.AccountNps.as_view(), name="api-account-nps"),
]
