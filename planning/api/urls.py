from django.urls import include, path

urlpatterns = [
    path("", include("planning.account_plan.api_urls")),
    path("", include("planning.action_plan.api_urls")),
    path("", include("planning.coaching.api_urls")),
    path("", include("planning.business_cases.api_urls")),
    path("", include("planning.whitespace.api_urls")),
]
