from django.urls import path

from safetynet.reports import views_dashboard, views_summary

app_name = "reports"
urlpatterns = [
    path("", views_dashboard.home, name="home"),
    path("dashboard/<slug:name>/", views_dashboard.dashboard, name="dashboard"),
    path("summary/", views_summary.summary, name="summary"),
    path("summary/export.<str:fmt>", views_summary.export, name="export"),
    path("records/<slug:figure>/", views_summary.records, name="records"),
    path("monthly/", views_summary.monthly_list, name="monthly"),
    path("monthly/<int:pk>.<str:fmt>", views_summary.monthly_download, name="monthly_download"),
]
