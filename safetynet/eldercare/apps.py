from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    """Elderly care: ability assessments, government-purchased home-care visits with proof
    of service, care institutions, age-friendly home modifications and insurance rosters."""

    name = "safetynet.eldercare"
    label = "eldercare"
    verbose_name = _("Elderly care")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module
        from safetynet.eldercare.permissions import may_open

        add_module(Module("eldercare", _("Elderly care"), "eldercare:home", 70, may_open))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core import panels, worklist
        from safetynet.eldercare.panels import eldercare_panel
        from safetynet.eldercare.worklist import eldercare_work

        worklist.register(eldercare_work)
        panels.register("household_sections", eldercare_panel)
