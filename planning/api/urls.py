from django.urls import include, path

urlpatterns = [
    path("", include("planning.account_plan.api.urls")),
    path("", include("planning.action_plan.api.urls")),
    path("", include("planning.coaching.api.urls")),
    path("", include("planning.business_cases.api.urls")),
    path("", include("planning.whitespace.api.urls")),
]
