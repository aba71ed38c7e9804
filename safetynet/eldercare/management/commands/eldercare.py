"""`safetynet eldercare orders | statement | allowance`.

* ``orders YYYY-MM [--area CODE]``: the month's home-care orders from the rules (everyone
  entitled gets an order with the provider serving their village; again adds only new ones);
* ``statement YYYY-MM [--provider ID]``: compute the providers' statements of the month
  (compliant months only); approval stays on the screen, with a second factor;
* ``allowance YYYY-MM``: the old-age allowance brackets for the month — enrol those who
  turned 80, move those who reached 90 or 100, stop it for those who died (run it monthly,
  before the quarter's payroll).

The command acts as the system (audited without a user).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.benefits.months import label, parse_period
from safetynet.eldercare import allowance, services
from safetynet.eldercare.models import Provider


class Command(BaseCommand):
    help = "Elderly care: monthly home-care orders, provider statements, allowance brackets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["orders", "statement", "allowance"])
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--area", default="", help="a township or village code")
        parser.add_argument("--provider", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_period(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            getattr(self, f"_{options['action']}")(month, options)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

    def _orders(self, month: Any, options: dict[str, Any]) -> None:
        run = services.generate_orders(None, month=month, area_code=options["area"])
        self.stdout.write(f"{label(month)}: {run.created} created, {run.existing} existing, "
                          f"{len(run.unassigned)} without a provider")

    def _statement(self, month: Any, options: dict[str, Any]) -> None:
        providers = Provider.objects.filter(active=True)
        if options["provider"]:
            providers = providers.filter(pk=options["provider"])
        for provider in providers:
            s = services.compute_statement(None, provider=provider, month=month)
            self.stdout.write(f"{provider.name} {label(month)}: {s.compliant}/{s.orders} "
                              f"compliant, {s.amount} yuan")

    def _allowance(self, month: Any, options: dict[str, Any]) -> None:
        run = allowance.update_brackets(None, month)
        self.stdout.write(f"{label(month)}: {len(run.enrolled)} enrolled at 80, "
                          f"{len(run.moved_up)} moved up, {len(run.stopped)} stopped")
        for problem in run.problems:
            self.stderr.write(problem)
