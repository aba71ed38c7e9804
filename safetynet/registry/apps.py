from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "safetynet.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module, user_flag
        from safetynet.core.navigation import register as add_module

        reader = user_flag("can_read_registry")
        add_module(Module("registry", _("Households"), "registry:search", 10, reader))
        add_module(Module("import", _("Import / export"), "registry:import", 20, reader))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.worklist import register
        from safetynet.registry.worklist import registry_work

        register(registry_work)
