"""Business cases under /api/v1/business-cases/."""

from rest_framework.routers import DefaultRouter

from planning.business_cases.api.views import BusinessCaseViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("business-cases", BusinessCaseViewSet, basename="api-business-case")

urlpatterns = router.urls
