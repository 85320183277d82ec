from django.urls import include, path

app_name = "planning"

# Each part of the planning app keeps its own URLs; all share the "planning:" namespace.
urlpatterns = [
    path("", include("planning.account_plan.urls")),
    path("", include("planning.action_plan.urls")),
    path("coaching/", include("planning.coaching.urls")),
    path("business-cases/", include("planning.business_cases.urls")),
    path("whitespace/", include("planning.whitespace.urls")),
]
