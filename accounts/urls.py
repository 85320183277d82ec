from django.urls import path

from accounts import contact_views, merge_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("search/", views.search, name="search"),
    path("user-options/", views.user_options, name="user_options"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/facts/", views.account_facts, name="facts"),
    path("<int:pk>/tab/<slug:tab>/", views.account_tab, name="tab"),
    path("<int:pk>/profile/<slug:kind>/", views.profile_section_edit, name="profile_section"),
    path("<int:pk>/team/", views.team_add, name="team_add"),
    path("<int:pk>/team/<int:membership_id>/remove/", views.team_remove, name="team_remove"),
    path("<int:pk>/figures/", views.figures_save, name="figures_save"),
    path("<int:pk>/figures/form/", views.figures_form, name="figures_form"),
    path("<int:pk>/figures/<int:year>/delete/", views.figures_delete, name="figures_delete"),
    path("<int:pk>/contacts/new/", contact_views.contact_create, name="contact_create"),
    path("contacts/", contact_views.contact_list, name="contacts"),
    path("contacts/<int:pk>/", contact_views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", contact_views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/left/", contact_views.contact_left, name="contact_left"),
    path("contacts/<int:pk>/data/", contact_views.contact_data, name="contact_data"),
    path("contacts/<int:pk>/erase/", contact_views.contact_erase, name="contact_erase"),
]

urlpatterns += [
    path("duplicates/", merge_views.duplicate_pairs, name="duplicates"),
    path("<int:pk>/merge/", merge_views.account_merge_pick, name="merge_pick"),
    path("<int:pk>/merge/<int:other>/", merge_views.account_merge, name="merge"),
    path("contacts/<int:pk>/merge/", merge_views.contact_merge_pick, name="contact_merge_pick"),
    path("contacts/<int:pk>/merge/<int:other>/", merge_views.contact_merge, name="contact_merge"),
]
