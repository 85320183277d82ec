"""The whitespace matrix under /api/v1/whitespace/."""

from kam.api.routers import IdRouter
from planning.whitespace.api.views import BusinessUnitViewSet, WhitespaceViewSet

router = IdRouter(trailing_slash=True)
router.include_root_view = False
# The units first: "whitespace/" has only a list route, so nothing shadows them.
router.register("whitespace/units", BusinessUnitViewSet, basename="api-whitespace-unit")
router.register("whitespace", WhitespaceViewSet, basename="api-whitespace")

urlpatterns = router.urls
