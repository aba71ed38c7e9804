from django.urls import include, path

from safetynet.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.pick_household, name="pick"),
    path("new/<int:household>/", views.new_application, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
    path("overdue/", views.overdue, name="overdue"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/new/<int:household>/", views.new_referral, name="referral_new"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("referrals/<int:pk>/<slug:op>/", views.referral_action, name="referral_action"),
    path("", include("safetynet.intake.urls_documents")),
]
