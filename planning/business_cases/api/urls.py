"""Business cases under /api/v1/business-cases/."""

from kam.api.routers import IdRouter
from planning.business_cases.api.views import BusinessCaseViewSet

router = IdRouter(trailing_slash=True)
router.include_root_view = False
router.register("business-cases", BusinessCaseViewSet, basename="api-business-case")

urlpatterns = router.urls
