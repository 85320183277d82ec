from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("my-work/", views.my_work, name="my_work"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("account/<int:pk>/", views.account_panel, name="account_panel"),
    path("account/<int:pk>/log/", views.activity_log, name="log"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/reopen/", views.follow_up_reopen, name="follow_up_reopen"),
]
