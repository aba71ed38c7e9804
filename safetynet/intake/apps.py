from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The single window: applications of every type, their workflow and deadlines,
    and referrals to partner departments."""

    name = "safetynet.intake"
    label = "intake"
    verbose_name = _("Single window")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module
        from safetynet.intake.permissions import may_open

        add_module(Module("intake", _("Single window"), "intake:home", 40, may_open))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core import panels, worklist
        from safetynet.intake.panels import applications_panel
        from safetynet.intake.worklist import intake_work

        worklist.register(intake_work)
        panels.register("household_sections", applications_panel)
