from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    """Active discovery: screening campaigns, other departments' data matched against the
    registry, early warnings and low-income monitoring."""

    name = "safetynet.discovery"
    label = "discovery"
    verbose_name = _("Active discovery")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module
        from safetynet.discovery.permissions import may_overview

        add_module(Module("discovery", _("Active discovery"), "discovery:home", 90,
                          may_overview))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core import worklist
        from safetynet.discovery.worklist import discovery_work

        worklist.register(discovery_work)
