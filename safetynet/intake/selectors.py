"""Read side of the single window: the applications and referrals a user may see, what
each role should do next, and the overdue report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.benefits.amounts import amount_for
from safetynet.benefits.models import Program
from safetynet.benefits.months import month_after
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.core.models import Area
from safetynet.core.workdays import add_working_days
from safetynet.intake import deadlines
from safetynet.intake.models import (
    OPEN_REFERRAL_STATES,
    OPEN_STATES,
    Application,
    Referral,
    ReferralState,
    State,
)
from safetynet.intake.services.applications import preparers
from safetynet.intake.services.common import ENROLS, today
from safetynet.intake.services.temporary import temporary_estimate
from safetynet.intake.workflow import (
    STAY,
    TEMPORARY_KINDS,
    TERMINAL,
    WORKFLOWS,
    Transition,
    available,
)
from safetynet.policy import ParameterError
from safetynet.registry import access
from safetynet.registry.models import Person

# Actions that move a case forward (the ones a work list asks for).
SIDE_ACTIONS = frozenset({"reject", "withdraw", "extend", "object", "inform", "to_appraisal",
                          "refer", "submit", "township_approve"})
INFORMERS = frozenset({Role.CLERK, Role.OFFICER})


def shown_name(user: Any, person: Person | None, on: dt.date) -> str:
    """A person as intake lists them: the name, or, for a role that may not open children's
    records, "a child under 14" and the relation (the household page's rule)."""
    if person is None:
        return ""
    if access.can_open(user, person, on):
        return person.name
    return f"{_('a child under 14')} · {person.get_relation_display()}"


def applications_for(user: Any) -> QuerySet[Application]:
    return scope(Application.objects.select_related("household", "applicant", "area"), user)


def application_for(user: Any, pk: int) -> Application:
    return get_in_scope(Application.objects.select_related(
        "household", "applicant", "beneficiary", "area", "created_by", "reviewed_by",
        "decided_by"), user, pk=pk)


def _forward_pairs(role: str) -> list[tuple[str, str]]:
    return sorted({(kind, state) for kind, transitions in WORKFLOWS.items()
                   for t in transitions if role in t.roles and t.target is not STAY
                   and t.action not in SIDE_ACTIONS for state in t.sources})


def waiting_for(role: str) -> Q:
    """Applications whose next step is this role's."""
    q = Q(pk__in=[])
    for kind, state in _forward_pairs(role):
        q |= Q(kind=kind, state=state)
    if role in INFORMERS:
        q |= Q(state__in=TERMINAL, resident_informed_on__isnull=True)
    return q


def my_queue(user: Any) -> QuerySet[Application]:
    """What this user should do next, most urgent first."""
    role = getattr(user, "role", "")
    # A case on notice waits for the notice period, not for anyone's step.
    return (applications_for(user).filter(waiting_for(role))
            .exclude(state=State.NOTICE, notice_end__gte=today())
            .order_by("due_on", "created_at"))


def escalated(user: Any) -> QuerySet[Application]:
    """Late cases in the user's areas, shown to supervisors (escalation)."""
    if not may(user, Capability.INTAKE_ESCALATIONS):
        return Application.objects.none()
    return applications_for(user).filter(due_on__lt=today()).order_by("due_on")


def listing(user: Any, show: str) -> QuerySet[Application]:
    """The home page's lists: mine (my next steps), open, overdue, all."""
    apps = applications_for(user)
    if show == "overdue":
        return apps.filter(due_on__lt=today()).order_by("due_on")
    if show == "open":
        return apps.filter(state__in=OPEN_STATES).order_by("due_on")
    if show == "all":
        return apps.order_by("-created_at")
    return my_queue(user)


def preparer_names(app: Application) -> list[str]:
    """Who prepared the case and so may not decide it (shown beside the decision)."""
    return [str(u) for u in User.objects.filter(pk__in=preparers(app))]


# Actions that end the public notice: taken only after its last day.
NOTICE_CLOSERS = frozenset({"close_notice", "to_appraisal"})


def not_before(app: Application, action: str, on: dt.date | None = None) -> dt.date | None:
    """The first day ``action`` may be taken, while it must still wait (the notice runs);
    None when nothing holds it back."""
    if action not in NOTICE_CLOSERS or app.notice_end is None:
        return None
    first = app.notice_end + dt.timedelta(days=1)
    return first if (on or today()) < first else None


def _offered(user: Any, app: Application) -> list[Transition]:
    role = getattr(user, "role", "")
    return [t for t in available(app.kind, app.state) if role in t.roles
            and not (t.action == "inform" and app.resident_informed_on)]


def actions_for(user: Any, app: Application) -> list[Transition]:
    """What the user may do now (an action that must wait for a date is not offered)."""
    return [t for t in _offered(user, app) if not_before(app, t.action) is None]


def waiting_actions(user: Any, app: Application) -> list[tuple[Transition, dt.date]]:
    """The user's actions that become available on a later day, with that day."""
    found = [(t, not_before(app, t.action)) for t in _offered(user, app)]
    return [(t, day) for t, day in found if day is not None]


def timeline(app: Application) -> list[Any]:
    return list(app.steps.select_related("actor"))


@dataclass
class TownshipRow:
    area: Area
    open: int = 0
    soon: int = 0
    overdue: int = 0
    referrals_overdue: int = 0


@dataclass
class OverdueReport:
    on: dt.date
    rows: list[TownshipRow] = field(default_factory=list)
    late: list[Application] = field(default_factory=list)
    late_referrals: list[Referral] = field(default_factory=list)

    @property
    def total_overdue(self) -> int:
        return sum(r.overdue for r in self.rows)


def township_code(code: str) -> str:
    return code[:9]


def overdue_report(user: Any) -> OverdueReport:
    """Open, due-soon and overdue applications (and late referrals) per township."""
    on = today()
    report = OverdueReport(on)
    soon_until = add_working_days(on, deadlines.limit("warning", _county(user), on))
    counts: dict[str, TownshipRow] = {}
    open_apps = applications_for(user).filter(state__in=OPEN_STATES)
    for code, due, n in (open_apps.values_list("area__code", "due_on")
                         .annotate(n=Count("id")).order_by()):
        row = _row(counts, code)
        row.open += n
        if due is not None and due < on:
            row.overdue += n
        elif due is not None and due <= soon_until:
            row.soon += n
    late_refs = scope(Referral.objects.select_related("household", "area"), user).filter(
        state__in=OPEN_REFERRAL_STATES, due_on__lt=on)
    for ref in late_refs:
        _row(counts, ref.area.code).referrals_overdue += 1
    report.rows = sorted(counts.values(), key=lambda r: r.area.code)
    report.late = list(open_apps.filter(due_on__lt=on).order_by("due_on")[:200])
    report.late_referrals = list(late_refs.order_by("due_on")[:200])
    return report


def _row(counts: dict[str, TownshipRow], code: str) -> TownshipRow:
    key = township_code(code)
    if key not in counts:
        area = Area.objects.filter(code=key).first() or Area(code=key, name=key)
        counts[key] = TownshipRow(area)
    return counts[key]


def _county(user: Any) -> str:
    codes = [a.code for a in user.areas.all()]
    return codes[0][:6] if codes else "32"


# --- referrals --------------------------------------------------------------------------


def referrals_for(user: Any) -> QuerySet[Referral]:
    """A partner handler sees its department's referrals; window staff those of their areas."""
    base = Referral.objects.select_related("household", "person", "area", "application")
    if getattr(user, "role", "") == Role.PARTNER:
        return scope(base, user).filter(department=getattr(user, "department", "") or "-")
    return scope(base, user)


def referral_for(user: Any, pk: int) -> Referral:
    return get_in_scope(referrals_for(user), user, pk=pk)


def referral_queue(user: Any) -> QuerySet[Referral]:
    """Partner: referrals to accept or answer; window: answers to pass on to the resident."""
    if getattr(user, "role", "") == Role.PARTNER:
        states: tuple[str, ...] = (ReferralState.SENT, ReferralState.ACCEPTED)
    elif getattr(user, "role", "") in INFORMERS:
        states = (ReferralState.ANSWERED, ReferralState.RETURNED)
    else:
        return Referral.objects.none()
    return referrals_for(user).filter(state__in=states).order_by("due_on")


# --- what the rules give (beside the decision) ----------------------------------------------


@dataclass(frozen=True)
class RulesAmount:
    """The amount of one programme the approval would enrol in, and why."""

    program: str  # the programme's label
    amount: Decimal | None  # None: the rules find the beneficiary not eligible
    one_off: bool  # a one-off grant (yuan) rather than a monthly amount (yuan a month)
    explanation: str
    township_limit: Decimal | None = None  # temporary assistance: the help-first limit


def temporary_rules(app: Application) -> RulesAmount | None:
    """Temporary assistance for the request under the rules (None when its months are out
    of the rules' range)."""
    try:
        found = temporary_estimate(app)
    except ValueError:
        return None
    lang = "en" if (get_language() or "zh").startswith("en") else "zh"
    return RulesAmount(str(Program.TEMPORARY.label), Decimal(found.amount), True,
                       found.explanation(lang), Decimal(found.township_limit))


def rules_amounts(app: Application) -> list[RulesAmount]:
    """What the approval would pay under the rules in force: the engine's monthly amount of
    each programme it enrols in, from the first month paid (the month after today), or the
    one-off temporary assistance for the months asked for."""
    if app.kind in TEMPORARY_KINDS:
        found = temporary_rules(app)
        return [found] if found is not None else []
    start = month_after(today())
    person = app.beneficiary or app.applicant
    rows = []
    for program in ENROLS.get(app.kind, ()):
        try:
            engine = amount_for(app.household, program,
                                None if program == Program.DIBAO else person.pk, start)
        except ParameterError as exc:  # shown, as the rules panel shows it
            rows.append(RulesAmount(str(Program(program).label), None, False, exc.message))
            continue
        rows.append(RulesAmount(
            str(Program(program).label), engine.monthly_amount if engine else None, False,
            engine.explanation if engine else _(
                "The rules in force find the beneficiary not eligible from %(m)s.")
            % {"m": start.strftime("%Y-%m")}))
    return rows
