from django.urls import path

from safetynet.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.home, name="home"),
    path("enrolments/<int:pk>/", views.detail, name="enrollment"),
    path("enrolments/<int:pk>/<str:action>/", views.act, name="act"),
]
