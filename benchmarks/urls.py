from django.urls import path

from benchmarks.floor import floor, shell
from kam.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("__floor__/<str:label>/<int:rows>/", floor, name="floor"),
    path("__shell__/<str:label>/<int:rows>/", shell, name="shell"),
    *app_urlpatterns,
]
