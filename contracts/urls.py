from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("deadlines/", views.contract_deadlines, name="deadlines"),
    path("new/", views.contract_create, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_id>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("account/<int:pk>/", views.account_panel, name="account_panel"),
]
