"""The DCI API under /dci/ (machine interface: bearer tokens, JSON)."""

from django.urls import path

from safetynet.dci import api
from safetynet.dci.services_exchange import OPERATIONS

app_name = "dci"
urlpatterns = [
    *[path(f"registry/{name}", api.operation, {"name": name}, name=name.replace("/", "_"))
      for name in OPERATIONS],
    path("openapi.yaml", api.openapi, name="openapi"),
    path("LICENSE-dci-spec.txt", api.licence, name="licence"),
]
