from django.urls import path

from planning.whitespace import views

# Mounted under /planning/whitespace/ in the "planning:" namespace.
urlpatterns = [
    path("account/<int:pk>/section/", views.account_section, name="whitespace_account_section"),
    path(
        "account/<int:pk>/cell/<int:unit_id>/<int:line_id>/",
        views.cell_edit,
        name="whitespace_cell",
    ),
    path(
        "account/<int:pk>/cell/<int:unit_id>/<int:line_id>/opportunity/",
        views.start_opportunity,
        name="whitespace_start_opportunity",
    ),
    path("account/<int:pk>/units/", views.unit_add, name="whitespace_unit_add"),
    path(
        "account/<int:pk>/units/<int:unit_id>/rename/",
        views.unit_rename,
        name="whitespace_unit_rename",
    ),
    path(
        "account/<int:pk>/units/<int:unit_id>/delete/",
        views.unit_delete,
        name="whitespace_unit_delete",
    ),
]
