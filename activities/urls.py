from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("log/", views.activity_log, name="log_contact"),
    path("my-work/", views.my_work, name="my_work"),
    path("work-count/", views.work_count, name="work_count"),
    path("pick/accounts/", views.pick_accounts, name="pick_accounts"),
    path("pick/contacts/", views.pick_contacts, name="pick_contacts"),
    path("pick/users/", views.pick_users, name="pick_users"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("account/<int:pk>/", views.account_panel, name="account_panel"),
    path("account/<int:pk>/log/", views.activity_log, name="log"),
    path("account/<int:pk>/follow-ups/", views.account_follow_ups, name="account_follow_ups"),
    path("follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/reopen/", views.follow_up_reopen, name="follow_up_reopen"),
    path("follow-ups/<int:pk>/plan/", views.follow_up_plan, name="follow_up_plan"),
]
