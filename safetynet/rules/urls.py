from django.urls import path

from safetynet.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.home, name="home"),
    path("parameters/<str:name>/", views.parameter, name="parameter"),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:pk>/<str:action>/", views.decide, name="decide"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("whatif/", views.whatif, name="whatif"),
    path("whatif/<int:pk>/", views.simulation, name="simulation"),
]
