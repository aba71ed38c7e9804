from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics: the summary report every programme adds up to, dashboards, exports and
    the monthly report."""

    name = "safetynet.reports"
    label = "reports"
    verbose_name = _("Statistics")
