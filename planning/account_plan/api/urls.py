"""/api/v1/account-plans/ (planning/api/urls.py mounts this)."""

from kam.api.routers import IdRouter
from planning.account_plan.api.views import AccountPlanViewSet


class Router(IdRouter):
    # Five planning routers share /api/v1/: none of them owns its root page.
    include_root_view = False
    include_format_suffixes = False


router = Router()
router.register("account-plans", AccountPlanViewSet, basename="api-account-plan")

urlpatterns = router.urls
