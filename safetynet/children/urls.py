from django.urls import path

from safetynet.children import views

app_name = "children"
urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.child_list, name="list"),
    path("coverage/", views.coverage, name="coverage"),
    path("visits/", views.visits, name="visits"),
    path("register/", views.pick, name="pick"),
    path("register/<int:person>/", views.register, name="register"),
    path("export/", views.export, name="export"),
    path("form.pdf", views.form_pdf, name="blank_form"),
    path("<int:pk>/", views.detail, name="child"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/visit/", views.visit, name="visit"),
    path("<int:pk>/guardianship/", views.guardianship, name="guardianship"),
    path("<int:pk>/form.pdf", views.form_pdf, name="form"),
    path("<int:pk>/support/", views.support, name="support"),
    path("scans/<int:pk>/", views.scan, name="scan"),
    path("notices/<int:pk>/read/", views.read_notice, name="read_notice"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<str:action>/", views.case_action, name="case_action"),
]
