"""Coaching plans under /api/v1/coaching-plans/ (list, create, retrieve, update; materials,
material downloads, sessions and the rep's confirmation as sub-resources)."""

from kam.api.routers import IdRouter
from planning.coaching.api.views import CoachingPlanViewSet

router = IdRouter()
router.include_root_view = False  # /api/v1/ has its own root; ours would shadow it
router.include_format_suffixes = False
router.register("coaching-plans", CoachingPlanViewSet, basename="api-coaching-plan")

urlpatterns = router.urls
