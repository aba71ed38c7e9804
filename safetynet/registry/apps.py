from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "safetynet.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from safetynet.core.worklist import register
        from safetynet.registry.worklist import registry_work

        register(registry_work)
