from django.urls import path

from safetynet.accounts import views, views_audit, views_pipl

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("otp/", views.otp, name="otp"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/role/", views.user_role, name="user_role"),
    path("users/<int:pk>/reset/", views.user_reset, name="user_reset"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("audit/export/", views_audit.audit_export, name="audit_export"),
    path("pipl/", views_pipl.processing_records, name="pipl"),
    path("pipl/export/", views_pipl.processing_records_export, name="pipl_export"),
]
