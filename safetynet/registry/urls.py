from django.urls import path

from safetynet.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/merge/", views.household_merge, name="household_merge"),
    path("households/<int:pk>/split/", views.household_split, name="household_split"),
    path("households/<int:pk>/means/", views.household_means, name="household_means"),
    path("households/<int:pk>/means/<str:kind>/<int:item_pk>/remove/", views.means_remove,
         name="means_remove"),
    path("households/<int:household_pk>/members/new/", views.person_form, name="person_add"),
    path("households/<int:household_pk>/members/<int:pk>/", views.person_form,
         name="person_edit"),
    path("persons/<int:pk>/deceased/", views.person_deceased, name="person_deceased"),
    path("persons/<int:pk>/move/", views.person_move, name="person_move"),
    path("persons/<int:pk>/reveal/<str:field>/", views.reveal, {"kind": "person"},
         name="reveal_person"),
    path("households/<int:pk>/reveal/<str:field>/", views.reveal, {"kind": "household"},
         name="reveal_household"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/", views.duplicate_resolve, name="duplicate_resolve"),
]

# Excel import and export (views_excel.py).
from safetynet.registry import views_excel  # noqa: E402

urlpatterns += [
    path("import/", views_excel.import_start, name="import"),
    path("import/template/", views_excel.import_template, name="import_template"),
    path("import/<int:pk>/", views_excel.import_job, name="import_job"),
    path("import/<int:pk>/errors/", views_excel.import_report, name="import_report"),
    path("export/", views_excel.export, name="export"),
]
