from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DciConfig(AppConfig):
    name = "safetynet.dci"
    label = "dci"
    verbose_name = _("DCI social registry API")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module
        from safetynet.core.navigation import register as add_module
        from safetynet.dci import events, permissions

        events.connect()
        add_module(Module("dci", _("Partner systems"), "interop:partners", 95,
                          permissions.can_view))
