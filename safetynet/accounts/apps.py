from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "safetynet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from safetynet.accounts import signals  # noqa: F401
        from safetynet.accounts.worklist import accounts_work
        from safetynet.core.worklist import register

        register(accounts_work)
