from django.urls import path

from safetynet.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.home, name="home"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/check/", views.check, name="check"),
    path("runs/<int:pk>/approve/", views.approve, name="approve"),
    path("runs/<int:pk>/reject/", views.reject, name="reject"),
    path("runs/<int:pk>/export/", views.export, name="export"),
    path("runs/<int:pk>/return/", views.import_return, name="return"),
    path("runs/<int:pk>/reissue/", views.reissue, name="reissue"),
    path("statistics/", views.stats, name="stats"),
    path("overpayments/", views.overpayments, name="overpayments"),
    path("overpayments/<int:pk>/recover/", views.recover, name="recover"),
]
