from django.urls import path, register_converter

from calendars import views

app_name = "calendars"


class KindConverter:
    regex = "activity|review"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "invitation_kind")

urlpatterns = [
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("renew/", views.renew, name="renew"),
    path("time-zone/", views.time_zone, name="time_zone"),
    path("<invitation_kind:kind>/<int:pk>/invitation.ics", views.invitation, name="invitation"),
    path(
        "<invitation_kind:kind>/<int:pk>/invitation/send/",
        views.invitation_send,
        name="invitation_send",
    ),
]
