from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    """Enrolments for life: amounts, reviews, changes, suspension and exits."""

    name = "safetynet.benefits"
    label = "benefits"
    verbose_name = _("Benefits")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.benefits.permissions import can_read
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module

        add_module(Module("benefits", _("Benefits"), "benefits:home", 50, can_read))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.benefits.selectors import enrollments_panel
        from safetynet.benefits.worklist import benefits_work
        from safetynet.core import panels
        from safetynet.core.worklist import register

        register(benefits_work)
        panels.register("household", enrollments_panel)
