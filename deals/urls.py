from django.urls import path

from deals import views

app_name = "deals"

urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("list/", views.opportunity_list, name="list"),
    path("changes/", views.pipeline_changes, name="changes"),
    path("win-loss/", views.win_loss_page, name="win_loss"),
    path("stage/<int:stage_pk>/cards/", views.stage_cards, name="stage_cards"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/move/", views.opportunity_move, name="move"),
    path("<int:pk>/move/menu/", views.move_menu, name="move_menu"),
    path("<int:pk>/competitors/", views.competitor_add, name="competitor_add"),
    path(
        "<int:pk>/competitors/<int:competitor_id>/remove/",
        views.competitor_remove,
        name="competitor_remove",
    ),
    path("account/<int:pk>/", views.account_panel, name="account_panel"),
]
