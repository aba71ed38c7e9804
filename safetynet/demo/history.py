"""January–September 2022 of the demo county, run through the platform's own services, so
the statistics have a history to add up (DOMAIN.md §1, §9).

* Temporary assistance: households on the low-income and rigid-expenditure monitoring
  lists get one grant each during the months, the amount from the rules
  (``policy.temporary_assistance``: months × S × household size), enrolled by the county
  approver through ``benefits.services.enrol``.
* Payroll: every month (every quarter for the quarterly old-age allowance) each programme's
  run is prepared by the finance officer (``payments.services.run_payroll``: the lines
  come from the enrolments in force) and approved by the county approver (maker-checker).
* The demo bank: the demo has no bank, so an approved run is taken as sent and every line
  as paid at the end of its month (one audited step per run). Real runs go through the
  bank file and its return file instead (docs/payroll.md).
* Finally the statistics' ledger (``reports.ledger``) is built from the paid lines.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.benefits.models import QUARTERLY_PROGRAMS, Enrollment, Program
from safetynet.benefits.months import add_months, label
from safetynet.benefits.services import enrol
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.discovery.models import MonitorCategory, MonitorEntry
from safetynet.payments.models import LineStatus, PaymentLine, PayrollRun, RunStatus
from safetynet.payments.services import approve_run, run_payroll
from safetynet.policy import temporary_assistance
from safetynet.registry.models import Household
from safetynet.reports import ledger
from safetynet.rules.parameters import current_parameters

FIRST_MONTH, LAST_MONTH = dt.date(2022, 1, 1), dt.date(2022, 9, 1)
# Donghai granted 319 temporary-assistance households in January–September 2022 against
# 8,198 dibao households: the demo keeps that ratio at any scale.
GRANTS_PER_DIBAO_HOUSEHOLD = 319 / 8198
GRANT_MONTHS = ((1, 30), (2, 33), (3, 17), (4, 12), (6, 8))  # months of S, weight
KINDS: tuple[Literal["emergency", "expenditure"], ...] = ("emergency", "expenditure")


@dataclass(frozen=True)
class History:
    grants: int
    runs: int
    lines: int

    def lines_out(self) -> list[str]:
        return [f"2022-01…2022-09: {self.grants} temporary-assistance grants, "
                f"{self.runs} payroll runs, {self.lines:,} payment lines paid"]


@transaction.atomic
def build(county_code: str, seed: int = 2022) -> History | None:
    """Grants, then the payroll of every month, in one transaction (all or nothing);
    nothing when the county has payroll runs already or the demo staff are missing."""
    staff = {u.username: u for u in User.objects.filter(username__in=["approver", "finance"])}
    if len(staff) < 2 or PayrollRun.objects.exists():
        return None
    grants = temporary_grants(county_code, staff["approver"], random.Random(seed))
    runs = lines = 0
    month = FIRST_MONTH
    while month <= LAST_MONTH:
        for program in programs_due(month):
            paid = pay_month(program, month, staff["finance"], staff["approver"])
            runs, lines = runs + 1, lines + paid
        month = add_months(month, 1)
    ledger.ensure_current()  # the statistics' ledger, so the first report is quick
    return History(grants, runs, lines)


def programs_due(month: dt.date) -> list[str]:
    """The programmes whose run falls in ``month`` (quarterly ones in a quarter's first)."""
    return [p.value for p in Program
            if p not in QUARTERLY_PROGRAMS or month.month % 3 == 1]


def temporary_grants(county_code: str, approver: User, rng: random.Random) -> int:
    """One grant each for families of three or more drawn from the monitoring lists (a
    grant covers the whole household)."""
    dibao = Enrollment.objects.filter(program=Program.DIBAO,
                                      household__area__code__startswith=county_code).count()
    wanted = max(1, round(dibao * GRANTS_PER_DIBAO_HOUSEHOLD))
    chosen = _candidates(county_code)
    rng.shuffle(chosen)
    params = current_parameters()
    for household in chosen[:wanted]:
        _grant(household, approver, rng, params)
    return min(wanted, len(chosen))


def _candidates(county_code: str) -> list[Household]:
    monitored = MonitorEntry.objects.filter(
        category__in=[MonitorCategory.LOW_INCOME, MonitorCategory.RIGID],
        exited_on__isnull=True).values("household_id")
    # A one-off grant is paid to the household's benefit card: households with no card
    # on record would only be held by the payroll (payments: held lines).
    return list(Household.objects.filter(area__code__startswith=county_code, active=True,
                                         pk__in=monitored)
                .exclude(Q(bank_account_index__isnull=True) | Q(bank_account_index=""))
                .annotate(size=Count("members", filter=Q(members__deceased_on__isnull=True)))
                .filter(size__gte=3).select_related("area").order_by("pk"))


def _grant(household: Household, approver: User, rng: random.Random, params: object) -> None:
    months = rng.choices([m for m, _w in GRANT_MONTHS], [w for _m, w in GRANT_MONTHS])[0]
    approved = FIRST_MONTH + dt.timedelta(days=rng.randrange(4, 265))
    kind = rng.choice(KINDS)
    result = temporary_assistance(kind, months, household.size,  # type: ignore[attr-defined]
                                  area_code=household.area_id, hukou=household.hukou,
                                  on=approved, params=params)  # type: ignore[arg-type]
    head = household.members.filter(relation="head").first() or household.members.first()
    enrol(Actor.of(approver), program=Program.TEMPORARY, household=household, person=head,
          approved_on=approved, amount=Decimal(result.amount), explanation=result.explanation_zh)


def pay_month(program: str, month: dt.date, preparer: User, approver: User) -> int:
    """Prepare, approve and pay one programme's run; returns the lines paid."""
    run, _created = run_payroll(Actor.of(preparer), program, month)
    run = approve_run(Actor.of(approver), run)
    return _demo_bank(run)


def _demo_bank(run: PayrollRun) -> int:
    """The demo's stand-in for the bank: the run is sent and every line paid at the end
    of the run's last month."""
    paid_at = timezone.make_aware(dt.datetime.combine(
        add_months(run.period, run.months) - dt.timedelta(days=1), dt.time(17)))
    count = PaymentLine.objects.filter(run=run, status=LineStatus.PENDING).update(
        status=LineStatus.PAID, returned_at=paid_at, bank_reference="DEMO")
    PayrollRun.objects.filter(pk=run.pk).update(status=RunStatus.CLOSED, exported_at=paid_at)
    audit.record("payments_demo_bank", obj=run, program=run.program,
                 period=label(run.period), lines=count)
    return count
