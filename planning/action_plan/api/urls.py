"""Objectives and actions under /api/v1/ (planning/api/urls.py includes this list)."""

from rest_framework.routers import DefaultRouter

from planning.action_plan.api.views import ActionViewSet, ObjectiveViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("objectives", ObjectiveViewSet, basename="api-objective")
router.register("actions", ActionViewSet, basename="api-plan-action")

urlpatterns = router.urls
