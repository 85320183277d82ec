from django.urls import path

from planning.account_plan import views

urlpatterns = [
    path("account/<int:pk>/", views.account_panel, name="account_panel"),
    path("account/<int:pk>/plan/<int:year>/new/", views.plan_create, name="account_plan_create"),
    path("account/<int:pk>/plan/<int:year>/copy/", views.plan_copy, name="account_plan_copy"),
    path("account-plans/<int:pk>/", views.plan_detail, name="account_plan_detail"),
    path("account-plans/<int:pk>/edit/", views.plan_edit, name="account_plan_edit"),
    path("account-plans/<int:pk>/review/", views.plan_review, name="account_plan_review"),
    path("account-plans/<int:pk>/status/", views.plan_status, name="account_plan_status"),
]
