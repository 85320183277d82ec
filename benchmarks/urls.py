from django.urls import path

from benchmarks.floor import floor
from kam.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("__floor__/<str:label>/<int:rows>/", floor, name="floor"), *app_urlpatterns]
