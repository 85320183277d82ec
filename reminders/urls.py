from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("<int:pk>/snooze/", views.snooze, name="snooze"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
]
