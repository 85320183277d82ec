"""Webhook endpoints under /api/v1/ (kam/urls.py mounts this module there)."""

from django.urls import path

from webhooks.api import views

urlpatterns = [
    path("webhooks/", views.EndpointList.as_view(), name="api-webhooks"),
    path("webhooks/<int:pk>/", views.EndpointDetail.as_view(), name="api-webhook"),
    path(
        "webhooks/<int:pk>/rotate-secret/",
        views.EndpointRotateSecret.as_view(),
        name="api-webhook-rotate-secret",
    ),
    path("webhooks/<int:pk>/messages/", views.MessageList.as_view(), name="api-webhook-messages"),
    path(
        "webhooks/<int:pk>/messages/<int:message_pk>/redeliver/",
        views.MessageRedeliver.as_view(),
        name="api-webhook-redeliver",
    ),
]
