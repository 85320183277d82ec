from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("branding/", views.branding_edit, name="branding"),
    path("account/<int:pk>/", views.account_panel, name="account_panel"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/edit/", views.review_edit, name="edit"),
    path("<int:pk>/delete/", views.review_delete, name="delete"),
    path("<int:pk>/sections/<str:kind>/", views.section_save, name="section_save"),
    path("<int:pk>/sections/<str:kind>/refresh/", views.section_refresh, name="section_refresh"),
    path("<int:pk>/sections/<str:kind>/shown/", views.section_shown, name="section_shown"),
    path("<int:pk>/business-cases/shown/", views.business_case_shown, name="business_case_shown"),
    path("<int:pk>/preview/", views.preview_panel, name="preview_panel"),
    path("<int:pk>/preview/folder/", views.folder_preview, name="preview"),
    path("<int:pk>/agenda/<int:item_id>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/market/copy/", views.market_copy, name="market_copy"),
    path("<int:pk>/follow-up/", views.review_follow_up, name="follow_up"),
    path("<int:pk>/render/", views.folder_render, name="render"),
    path("<int:pk>/versions/", views.folder_versions, name="versions"),
    path(
        "<int:pk>/versions/<int:version_id>/download/",
        views.folder_download,
        name="download",
    ),
    path(
        "<int:pk>/versions/<int:version_id>/delete/",
        views.version_delete,
        name="version_delete",
    ),
    # The lists of the workspace (agenda, topics, market, projects, agreements); after the
    # fixed paths above, which they would otherwise shadow.
    path("<int:pk>/<str:area>/", views.area_view, name="area"),
    path("<int:pk>/<str:area>/add/", views.item_add, name="item_add"),
    path("<int:pk>/<str:area>/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/<str:area>/<int:item_id>/delete/", views.item_delete, name="item_delete"),
]
