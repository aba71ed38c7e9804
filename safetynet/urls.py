"""URL map: web UI, REST API, language switch."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from safetynet.accounts.lockout import LoginForm
from safetynet.api import api
from safetynet.core import health
from safetynet.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("login/", auth_views.LoginView.as_view(template_name="login.html",
                                                authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("safetynet.accounts.urls")),
    path("registry/", include("safetynet.registry.urls")),
    path("rules/", include("safetynet.rules.urls")),
    path("intake/", include("safetynet.intake.urls")),
    path("benefits/", include("safetynet.benefits.urls")),
    path("payments/", include("safetynet.payments.urls")),
    path("eldercare/", include("safetynet.eldercare.urls")),
    path("children/", include("safetynet.children.urls")),
    path("discovery/", include("safetynet.discovery.urls")),
    path("reports/", include("safetynet.reports.urls")),
    path("api/v1/", api.urls),
    path("dci/", include("safetynet.dci.urls")),
    path("interop/", include("safetynet.dci.urls_pages")),
]
