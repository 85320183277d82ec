"""/api/v1/account-plans/ (planning/api/urls.py mounts this)."""

from rest_framework.routers import DefaultRouter

from planning.account_plan.api.views import AccountPlanViewSet


class Router(DefaultRouter):
    # Five planning routers share /api/v1/: none of them owns its root page.
    include_root_view = False
    include_format_suffixes = False


router = Router()
router.register("account-plans", AccountPlanViewSet, basename="api-account-plan")

urlpatterns = router.urls
