from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payroll runs, payment lines, bank files, returns and re-issues."""

    name = "safetynet.payments"
    label = "payments"
    verbose_name = _("Payroll")
