from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics: the summary report every programme adds up to, dashboards, exports and
    the monthly report."""

    name = "safetynet.reports"
    label = "reports"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module
        from safetynet.reports.permissions import can_read

        add_module(Module("reports", _("Statistics"), "reports:home", 100, can_read))
