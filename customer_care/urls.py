from django.urls import path

from customer_care import views

app_name = "customer_care"

urlpatterns = [
    path("issues/", views.issue_list, name="issues"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("issues/<int:pk>/status/", views.issue_status, name="issue_status"),
    path("account/<int:pk>/issues/", views.account_issues_panel, name="account_issues_panel"),
    path("account/<int:pk>/issues/new/", views.account_issue_create, name="account_issue_create"),
    path(
        "account/<int:pk>/satisfaction/",
        views.account_surveys_panel,
        name="account_surveys_panel",
    ),
    path("account/<int:pk>/satisfaction/record/", views.survey_create, name="survey_create"),
]
