from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "safetynet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from safetynet.core.navigation import Module, user_flag
        from safetynet.core.navigation import register as add_module

        add_module(Module("accounts", _("Accounts"), "accounts:users", 110,
                          user_flag("is_account_admin")))
        add_module(Module("audit", _("Audit log"), "accounts:audit", 120,
                          user_flag("is_auditor")))
        add_module(Module("pipl", _("Personal data records"), "accounts:pipl", 130,
                          user_flag("can_read_pipl")))
        # Imported in ready(): they need the app registry loaded.
        from safetynet.accounts import signals  # noqa: F401
        from safetynet.accounts.worklist import accounts_work
        from safetynet.core.worklist import register

        register(accounts_work)
