from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "safetynet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # AppConfig.ready(): navigation imports models, so the app registry loads first.
        from safetynet.core.navigation import Module, signed_in
        from safetynet.core.navigation import register as add_module

        add_module(Module("home", _("Work list"), "home", 0, signed_in))
