"""Objectives and actions under /api/v1/ (planning/api/urls.py includes this list)."""

from kam.api.routers import IdRouter
from planning.action_plan.api.views import ActionViewSet, ObjectiveViewSet

router = IdRouter()
router.include_root_view = False
router.register("objectives", ObjectiveViewSet, basename="api-objective")
router.register("actions", ActionViewSet, basename="api-plan-action")

urlpatterns = router.urls
