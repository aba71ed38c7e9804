from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    """Child protection: left-behind and at-risk children, guardianship confirmations,
    child directors' visits, 12345 minors' hotline cases and orphan support."""

    name = "safetynet.children"
    label = "children"
    verbose_name = _("Children")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.children.selectors import may_see_cases
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module

        add_module(Module("children", _("Children"), "children:home", 80, may_see_cases))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.children.panels import children_panel
        from safetynet.children.worklist import children_work
        from safetynet.core import panels, worklist

        worklist.register(children_work)
        panels.register("household_sections", children_panel)
