from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rotate-secret/", views.rotate_secret, name="rotate_secret"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/messages/<int:message_pk>/send-again/", views.redeliver, name="redeliver"),
]
