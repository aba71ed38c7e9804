from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payroll runs, payment lines, bank files, returns and re-issues."""

    name = "safetynet.payments"
    label = "payments"
    verbose_name = _("Payroll")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module
        from safetynet.payments.permissions import can_read

        add_module(Module("payments", _("Payroll"), "payments:home", 60, can_read))
