from django.urls import path

from safetynet.discovery import views

app_name = "discovery"
urlpatterns = [
    path("", views.home, name="home"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/visits/", views.campaign_visits, name="visits"),
    path("campaigns/<int:pk>/uncovered/", views.uncovered, name="uncovered"),
    path("campaigns/<int:pk>/add/", views.visit_add, name="visit_add"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("effectiveness/", views.effectiveness, name="effectiveness"),
]
