from typing import Any

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from kam import metrics, views
from kam.api.export_files import ExportFileDownload, ExportFileState
from kam.api.index import ApiIndex

_docs_csp: dict[str, Any] = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

api_v1: list[URLPattern | URLResolver] = [
    path("", include("imports.api.urls")),  # accounts/bulk/ before accounts/<id>/
    path("", include("accounts.api.urls")),
    path("", include("activities.api.urls")),
    path("", include("deals.api.urls")),
    path("", include("contracts.api.urls")),
    path("", include("customer_care.api.urls")),
    path("", include("planning.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("portfolio.api.urls")),
    path("", include("webhooks.api.urls")),
    path("exports/<int:pk>/", ExportFileState.as_view(), name="api-export-file"),
    path("exports/<int:pk>/file/", ExportFileDownload.as_view(), name="api-export-file-download"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # Swagger UI sets inline styles; scripts stay as strict as everywhere else.
        csp_override(_docs_csp)(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
api_v1.append(path("", ApiIndex.as_view(patterns=list(api_v1)), name="api-index"))

urlpatterns = [
    path("", views.home, name="home"),
    path("home/<slug:key>/", views.home_block, name="home_block"),
    path("health/", views.health, name="health"),
    path("exports/<int:pk>/", views.export_file, name="export_file"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("", include("users.urls")),
    path("accounts/", include("accounts.urls")),
    path("activities/", include("activities.urls")),
    path("deals/", include("deals.urls")),
    path("contracts/", include("contracts.urls")),
    path("care/", include("customer_care.urls")),
    path("planning/", include("planning.urls")),
    path("reviews/", include("reviews.urls")),
    path("reminders/", include("reminders.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("imports/", include("imports.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("calendar/", include("calendars.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]

handler400 = "kam.views.bad_request"
handler403 = "kam.views.permission_denied"
handler404 = "kam.views.page_not_found"
handler500 = "kam.views.server_error"
