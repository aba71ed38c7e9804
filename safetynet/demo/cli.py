"""What ``safetynet seed`` and ``safetynet demo`` share: options, checks, output."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.demo import check, generator
from safetynet.demo.enrolments import enrol_county
from safetynet.demo.generator import CountyExists, Result


class CountyCommand(BaseCommand):
    """Builds the synthetic county; subclasses add what comes after (demo logins)."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=generator.DEFAULT_SCALE,
                            help="population size relative to Donghai 2022 (1.0 ≈ 180,000 "
                                 "persons)")
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED,
                            help="random seed: the same seed gives the same people")
        parser.add_argument("--if-missing", action="store_true",
                            help="do nothing when the county already has households")
        parser.add_argument("--check", action="store_true",
                            help="afterwards, run the policy engine and compare with the "
                                 "published 2022 figures")
        parser.add_argument("--orm", action="store_true",
                            help="write through the ORM's bulk_create_with_history (slow; "
                                 "for comparison)")

    def build(self, options: dict[str, Any]) -> Result:
        if settings.PRODUCTION:
            raise CommandError("refusing to put synthetic people into a production database "
                               "(set SAFETYNET_ENV=demo, development or test)")
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive")
        started = time.perf_counter()
        try:
            result = generator.build_county(options["scale"], options["seed"],
                                            settings.SAFETYNET_COUNTY_CODE,
                                            options["if_missing"], self.stdout.write,
                                            orm=options["orm"])
        except CountyExists as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)
        if result.created and options["check"]:
            self.check_rules(result)
        if result.created:
            self.stdout.write(f"enrolments: {enrol_county(settings.SAFETYNET_COUNTY_CODE):,}")
        if result.created:
            self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
        return result

    def check_rules(self, result: Result) -> None:
        for line in check.evaluate(result.households).lines():
            self.stdout.write(line)
