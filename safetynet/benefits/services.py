"""State changes of enrolments: one function per action, one transaction (a savepoint
inside the caller's), the audit record and the enrolment's history event written inside.

``enrol`` is the interface the single window (safetynet.intake) calls when an
application is approved. Amounts come from the policy engine (``amounts.py``) unless the
county decided one (e.g. a temporary-assistance grant).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.benefits import permissions
from safetynet.benefits.amounts import EngineAmount, amount_for
from safetynet.benefits.models import (
    HOUSEHOLD_PROGRAMS,
    ONE_OFF_PROGRAMS,
    EndReason,
    Enrollment,
    EnrollmentEvent,
    EventKind,
    Outcome,
    Program,
    Review,
    Status,
    Suspension,
    beneficiary_key,
)
from safetynet.benefits.months import add_months, first_of_month, label, month_after
from safetynet.benefits.schedule import review_months
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.core.money import to_money
from safetynet.registry.models import Household, Person
from safetynet.rules.parameters import current_parameters

MIN_REASON = 2
GRADUAL_EXIT_PARAMETER = "dibao.gradual_exit_months"


# --- checks ---------------------------------------------------------------------------------


def _check_actor(actor: Actor | None, household: Household) -> None:
    """``None`` is the system (command line, data migration); a person needs the role and
    the household inside their areas."""
    if actor is None:
        return
    if not permissions.can_edit(actor):
        raise PermissionDenied(_("Your role may not change enrolments."))
    if not covers(actor, household.area_id):
        raise PermissionDenied(_("This household is outside your areas."))


def _check_reason(reason: str, field: str = "reason") -> str:
    cleaned = (reason or "").strip()
    if len(cleaned) < MIN_REASON:
        raise ValidationError({field: _("Give the reason (at least %(n)d characters).")
                               % {"n": MIN_REASON}})
    return cleaned[:200]


def _check_program(program: str) -> None:
    if program not in Program.values:
        raise ValidationError({"program": _("Unknown programme %(p)s; expected one of %(all)s.")
                               % {"p": program, "all": ", ".join(Program.values)}})


def _check_beneficiary(program: str, household: Household, person: Person | None) -> None:
    if not household.active:
        raise ValidationError({"household": _("Household %(n)s is dissolved.")
                               % {"n": household.number}})
    if person is None and program not in HOUSEHOLD_PROGRAMS:
        raise ValidationError({"person": _("%(p)s is paid to a person: choose the member.")
                               % {"p": Program(program).label}})
    if person is not None and person.household_id != household.pk:
        raise ValidationError({"person": _("%(name)s is not a member of household %(n)s.")
                               % {"name": person.name, "n": household.number}})
    if person is not None and person.deceased_on is not None:
        raise ValidationError({"person": _("%(name)s is recorded as deceased.")
                               % {"name": person.name}})


def _check_no_overlap(program: str, key: str, start: date) -> None:
    """Refuse a second enrolment whose months would meet an existing one's."""
    clash = (Enrollment.objects.filter(program=program, beneficiary=key)
             .filter(Q(end_month__isnull=True) | Q(end_month__gte=start)).first())
    if clash is not None:
        raise ValidationError({"program": _(
            "Already enrolled in %(p)s since %(since)s (enrolment #%(id)d): end or change "
            "that enrolment instead.") % {"p": Program(program).label,
                                          "since": label(clash.start_month), "id": clash.pk}})


def _month(value: date | None, default: date) -> date:
    return first_of_month(value) if value is not None else default


def _next_month() -> date:
    return month_after(timezone.localdate())


def _event(enrollment: Enrollment, kind: str, month: date, actor: Actor | None, reason: str = "",
           amount: Decimal | None = None, previous: Decimal | None = None,
           explanation: str = "") -> EnrollmentEvent:
    return EnrollmentEvent.objects.create(  # type: ignore[misc]
        enrollment=enrollment, kind=kind, effective_month=month, amount=amount,
        previous_amount=previous, reason=reason, explanation=explanation,
        user=actor.user if actor else None)


def _audit(action: str, actor: Actor | None, enrollment: Enrollment, **detail: Any) -> None:
    audit.record(action, user=actor, obj=enrollment,
                 program=enrollment.program, beneficiary=enrollment.beneficiary, **detail)


def _locked(enrollment: Enrollment) -> Enrollment:
    # Only the enrollment's row, not its household's (see intake.services.applications).
    return Enrollment.objects.select_for_update(of=("self",)).select_related(
        "household").get(pk=enrollment.pk)


def _require_live(enrollment: Enrollment) -> None:
    if not enrollment.live:
        raise ValidationError(_("Enrolment #%(id)d has ended (%(s)s).")
                              % {"id": enrollment.pk, "s": enrollment.get_status_display()})


# --- enrol ----------------------------------------------------------------------------------


def _engine_amount(program: str, household: Household, person: Person | None,
                   start: date) -> EngineAmount:
    if program in ONE_OFF_PROGRAMS:
        raise ValidationError({"amount": _("Enter the amount granted: temporary assistance is "
                                           "decided case by case.")})
    found = amount_for(household, program, person.pk if person else None, start)
    if found is None:
        who = person.name if person else _("household %(n)s") % {"n": household.number}
        field = "person" if person else "household"
        raise ValidationError({field: _("The rules find %(who)s not eligible for %(p)s on "
                                        "%(on)s.") % {"who": who, "p": Program(program).label,
                                                      "on": start.isoformat()}})
    return found


def _amount(amount: Decimal | None) -> Decimal:
    try:
        money = to_money(amount)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"amount": _("Enter an amount in yuan, e.g. 650 or 650.50.")}) \
            from exc
    if money <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 yuan, not %(a)s.")
                               % {"a": money}})
    return money


def enrol(actor: Actor | None, *, program: str, household: Household, person: Person | None,
          approved_on: date, application_id: int | None = None,
          amount: Decimal | None = None, explanation: str = "") -> Enrollment:
    """An approved application becomes an enrolment paid from the month after approval
    (a temporary-assistance grant: once, in the month of approval)."""
    _check_program(program)
    _check_actor(actor, household)
    _check_beneficiary(program, household, person)
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("The approval date %(d)s is in the future.")
                               % {"d": approved_on.isoformat()}})
    one_off = program in ONE_OFF_PROGRAMS
    start = first_of_month(approved_on) if one_off else month_after(approved_on)
    key = beneficiary_key(household.pk, person.pk if person else None)
    persons = 1
    if amount is None:
        found = _engine_amount(program, household, person, start)
        money, explanation, persons = found.monthly_amount, found.explanation, found.persons
    else:
        money = _amount(amount)  # a grant covers the household (temporary assistance)
        persons = household.members.filter(deceased_on__isnull=True).count() if (
            person is None or one_off) else 1
    with transaction.atomic():
        if not one_off:  # one-off grants never overlap; their repeats are intake's rule
            _check_no_overlap(program, key, start)
        enrollment = _create(actor, program, household, person, key, approved_on, start,
                             money, persons, explanation, application_id, one_off)
        _event(enrollment, EventKind.ENROLLED, start, actor, amount=money,
               explanation=explanation, reason=_("application approved on %(d)s")
               % {"d": approved_on.isoformat()})
        _audit("benefits_enrolled", actor, enrollment, amount=money,
               start_month=label(start), application_id=application_id)
    return enrollment


def _create(actor: Actor | None, program: str, household: Household, person: Person | None,
            key: str, approved_on: date, start: date, money: Decimal, persons: int,
            explanation: str, application_id: int | None, one_off: bool) -> Enrollment:
    months = 0 if one_off else review_months(program, household, start)
    enrollment = Enrollment(  # type: ignore[misc]
        program=program, household=household, person=person, beneficiary=key,
        application_id=application_id, approved_on=approved_on, start_month=start,
        end_month=start if one_off else None, monthly_amount=money, amount_from=start,
        persons=persons, explanation=explanation, review_months=months,
        next_review=add_months(start, months) if months else None,
        status=Status.ENDED if one_off else Status.ACTIVE,
        end_reason=EndReason.ONE_OFF if one_off else "",
        created_by=actor.user if actor else None)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as exc:  # a concurrent enrolment won the race
        raise ValidationError({"program": _("Already enrolled in %(p)s.")
                               % {"p": Program(program).label}}) from exc
    return enrollment


# --- changes of circumstances ---------------------------------------------------------------


def _set_amount(enrollment: Enrollment, month: date, money: Decimal, explanation: str,
                actor: Actor | None, reason: str, kind: str = EventKind.AMOUNT_CHANGED) -> None:
    if month < enrollment.amount_from:
        raise ValidationError({"effective_month": _(
            "The amount in force since %(m)s may not be changed from an earlier month.")
            % {"m": label(enrollment.amount_from)}})
    previous = enrollment.monthly_amount
    enrollment.monthly_amount, enrollment.amount_from = money, month
    enrollment.explanation = explanation or enrollment.explanation
    enrollment.save(update_fields=["monthly_amount", "amount_from", "explanation"])
    _event(enrollment, kind, month, actor, reason, money, previous, explanation)


def change_amount(actor: Actor | None, enrollment: Enrollment, *, reason: str,
                  effective_month: date | None = None, amount: Decimal | None = None) -> Enrollment:
    """Circumstances changed: the engine recomputes the amount from ``effective_month``
    (default: next month) over the facts now in the registry; the reason is recorded."""
    reason = _check_reason(reason)
    with transaction.atomic():
        enrollment = _locked(enrollment)
        _check_actor(actor, enrollment.household)
        _require_live(enrollment)
        month = _month(effective_month, _next_month())
        if amount is None:
            found = amount_for(enrollment.household, enrollment.program,
                               enrollment.person_id, month)
            if found is None:
                raise ValidationError(_("The rules find the beneficiary no longer eligible from "
                                        "%(m)s: end the enrolment (or start the gradual exit) "
                                        "instead.") % {"m": label(month)})
            money, explanation = found.monthly_amount, found.explanation
        else:
            money, explanation = _amount(amount), ""
        previous = enrollment.monthly_amount
        _set_amount(enrollment, month, money, explanation, actor, reason)
        _audit("benefits_amount_changed", actor, enrollment, previous=previous,
               amount=money, effective_month=label(month), reason=reason)
    return enrollment


def suspend(actor: Actor | None, enrollment: Enrollment, *, reason: str,
            from_month: date | None = None) -> Enrollment:
    """Withhold payment from ``from_month`` (default: next month) until resumed."""
    reason = _check_reason(reason)
    with transaction.atomic():
        enrollment = _locked(enrollment)
        _check_actor(actor, enrollment.household)
        _require_live(enrollment)
        if enrollment.status == Status.SUSPENDED:
            raise ValidationError(_("Enrolment #%(id)d is already suspended.")
                                  % {"id": enrollment.pk})
        month = max(_month(from_month, _next_month()), enrollment.start_month)
        Suspension.objects.create(enrollment=enrollment, from_month=month, reason=reason)
        enrollment.status = Status.SUSPENDED
        enrollment.save(update_fields=["status"])
        _event(enrollment, EventKind.SUSPENDED, month, actor, reason)
        _audit("benefits_suspended", actor, enrollment, from_month=label(month),
               reason=reason)
    return enrollment


def resume(actor: Actor | None, enrollment: Enrollment, *, reason: str = "",
           from_month: date | None = None) -> Enrollment:
    """Pay again from ``from_month`` (default: next month); the months between stay unpaid."""
    with transaction.atomic():
        enrollment = _locked(enrollment)
        _check_actor(actor, enrollment.household)
        open_ = enrollment.suspensions.filter(until_month__isnull=True).first()
        if enrollment.status != Status.SUSPENDED or open_ is None:
            raise ValidationError(_("Enrolment #%(id)d is not suspended.")
                                  % {"id": enrollment.pk})
        month = _month(from_month, _next_month())
        if month < open_.from_month:
            raise ValidationError({"from_month": _("Resume from %(m)s or later (suspended "
                                                   "from then).") % {"m": label(open_.from_month)}})
        open_.until_month = month
        open_.save(update_fields=["until_month"])
        enrollment.status = Status.EXITING if enrollment.end_month else Status.ACTIVE
        enrollment.save(update_fields=["status"])
        _event(enrollment, EventKind.RESUMED, month, actor, reason.strip()[:200])
        _audit("benefits_resumed", actor, enrollment, from_month=label(month))
    return enrollment


def terminate(actor: Actor | None, enrollment: Enrollment, *, reason: str, note: str = "",
              last_month: date | None = None) -> Enrollment:
    """End the enrolment: ``last_month`` (default: this month) is the last month paid."""
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose a reason: %(all)s.")
                               % {"all": ", ".join(EndReason.values)}})
    with transaction.atomic():
        enrollment = _locked(enrollment)
        _check_actor(actor, enrollment.household)
        _require_live(enrollment)
        last = _month(last_month, first_of_month(timezone.localdate()))
        last = max(last, add_months(enrollment.start_month, -1))
        if enrollment.end_month is not None:
            last = min(last, enrollment.end_month)
        _end(enrollment, last, reason)
        text = f"{EndReason(reason).label}. {note}".strip()[:200]
        _event(enrollment, EventKind.TERMINATED, add_months(last, 1), actor, text)
        _audit("benefits_terminated", actor, enrollment, last_month=label(last),
               reason=reason, note=note)
    return enrollment


def _end(enrollment: Enrollment, last: date, reason: str) -> None:
    enrollment.status, enrollment.end_month, enrollment.end_reason = Status.ENDED, last, reason
    enrollment.next_review = None
    enrollment.save(update_fields=["status", "end_month", "end_reason", "next_review"])
    enrollment.suspensions.filter(until_month__isnull=True).update(
        until_month=max(add_months(last, 1), enrollment.start_month))


def gradual_exit_months(enrollment: Enrollment, month: date) -> int:
    dated = current_parameters()[GRADUAL_EXIT_PARAMETER].for_area(enrollment.household.area_id,
                                                                   month)
    return int(dated.value) if dated is not None else 0  # type: ignore[arg-type]


def start_gradual_exit(actor: Actor | None, enrollment: Enrollment, *, note: str = "",
                       from_month: date | None = None) -> Enrollment:
    """Dibao whose income rose above the standard: payment continues for the months of
    ``dibao.gradual_exit_months`` from ``from_month`` (default: next month), then ends."""
    with transaction.atomic():
        enrollment = _locked(enrollment)
        _check_actor(actor, enrollment.household)
        _require_live(enrollment)
        _begin_exit(actor, enrollment, _month(from_month, _next_month()), note)
        _audit("benefits_gradual_exit", actor, enrollment,
               last_month=label(enrollment.end_month or enrollment.start_month))
    return enrollment


def _begin_exit(actor: Actor | None, enrollment: Enrollment, month: date, note: str) -> None:
    if enrollment.program != Program.DIBAO:
        raise ValidationError(_("Only dibao has a gradual exit."))
    if enrollment.status == Status.EXITING:
        raise ValidationError(_("The gradual exit has already started."))
    months = gradual_exit_months(enrollment, month)
    last = add_months(max(month, enrollment.start_month), months - 1)
    enrollment.status = Status.SUSPENDED if enrollment.status == Status.SUSPENDED \
        else Status.EXITING
    enrollment.end_month, enrollment.end_reason = last, EndReason.INCOME
    enrollment.next_review = None
    enrollment.save(update_fields=["status", "end_month", "end_reason", "next_review"])
    text = (_("Income rose above the standard: paid %(n)d more months, to %(last)s.")
            % {"n": months, "last": label(last)} + " " + note.strip())[:200]
    _event(enrollment, EventKind.GRADUAL_EXIT, month, actor, text.strip())


# --- reviews --------------------------------------------------------------------------------


def complete_review(actor: Actor | None, enrollment: Enrollment, *, facts: str,
                    effective_month: date | None = None) -> Review:
    """Record the review: the facts found (already entered in the registry), the engine's
    amount from ``effective_month`` (default: next month), and the outcome it gives:
    keep, change the amount, or stop (dibao: the gradual exit; others: ended)."""
    facts = _check_reason(facts, "facts")
    with transaction.atomic():
        enrollment = _locked(enrollment)
        _check_actor(actor, enrollment.household)
        if enrollment.status not in (Status.ACTIVE, Status.SUSPENDED):
            raise ValidationError(_("Only an enrolment in payment or suspended is reviewed."))
        month = _month(effective_month, _next_month())
        found = amount_for(enrollment.household, enrollment.program, enrollment.person_id,
                           month)
        review = _record_review(actor, enrollment, facts, month, found)
        _apply_outcome(actor, enrollment, review)
        _audit("benefits_reviewed", actor, enrollment, outcome=review.outcome,
               previous=review.previous_amount, amount=review.new_amount)
    return review


def _record_review(actor: Actor | None, enrollment: Enrollment, facts: str, month: date,
                   found: EngineAmount | None) -> Review:
    new = found.monthly_amount if found else Decimal(0)
    outcome = (Outcome.STOP if found is None else
               Outcome.KEEP if new == enrollment.monthly_amount else Outcome.CHANGE)
    return Review.objects.create(  # type: ignore[misc]
        enrollment=enrollment, due_on=enrollment.next_review or month, facts=facts,
        outcome=outcome, previous_amount=enrollment.monthly_amount, new_amount=new,
        effective_month=month, explanation=found.explanation if found else "",
        done_by=actor.user if actor else None)


def _apply_outcome(actor: Actor | None, enrollment: Enrollment, review: Review) -> None:
    reason = _("review of %(d)s") % {"d": review.effective_month.isoformat()}
    month = review.effective_month
    if review.outcome == Outcome.CHANGE:
        _set_amount(enrollment, month, review.new_amount, review.explanation, actor, reason)
    if review.outcome == Outcome.STOP:
        if enrollment.program == Program.DIBAO:
            _begin_exit(actor, enrollment, month, reason)
        else:
            _end(enrollment, add_months(month, -1), EndReason.NOT_ELIGIBLE)
            _event(enrollment, EventKind.TERMINATED, month, actor, reason)
        return
    _event(enrollment, EventKind.REVIEWED, month, actor, f"{review.get_outcome_display()}: "
           f"{review.facts}"[:200])
    enrollment.next_review = add_months(month, enrollment.review_months or 12)
    enrollment.save(update_fields=["next_review"])
