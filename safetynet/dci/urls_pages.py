"""The partner-registration pages under /interop/ (web UI: session, second factor)."""

from django.urls import path

from safetynet.dci import views

app_name = "interop"
urlpatterns = [
    path("partners/", views.partners, name="partners"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/token/", views.token_issue, name="token_issue"),
    path("partners/<int:pk>/token/<int:token_pk>/revoke/", views.token_revoke,
         name="token_revoke"),
    path("partners/<int:pk>/active/", views.partner_active, name="partner_active"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
]
