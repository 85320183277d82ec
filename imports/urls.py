from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/columns/", views.mapping, name="mapping"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/refused.xlsx", views.refused_rows, name="refused_rows"),
    path("template/<slug:kind>.xlsx", views.template, name="template"),
]
