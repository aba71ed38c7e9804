from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    """The Django side of the rules engine (safetynet.policy): parameters under review,
    registry runs, what-if simulations, the CLI and the REST endpoint."""

    name = "safetynet.rules"
    label = "rules"
    verbose_name = _("Rules")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module
        from safetynet.rules.permissions import can_read

        add_module(Module("policy", _("Rules"), "rules:home", 30, can_read))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.worklist import register
        from safetynet.rules.worklist import rules_work

        register(rules_work)
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core import panels
        from safetynet.rules.selectors import benefits_panel

        panels.register("household", benefits_panel)
