"""Every state change of active discovery: one function per action, one transaction each,
the audit record written inside it. Batch work (matching, campaign lists, monitoring) is
queued as a background task after the transaction commits."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.core import audit, uploads
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.core.models import Area
from safetynet.discovery import permissions
from safetynet.discovery.campaigns import BY_CODE
from safetynet.discovery.models import (
    Campaign,
    EarlyWarning,
    Outcome,
    SourceImport,
    Visit,
    VisitStatus,
    WarningStatus,
)
from safetynet.discovery.sources import LAYOUTS
from safetynet.intake.models import Channel
from safetynet.intake.services import applications, referrals
from safetynet.registry import services as registry
from safetynet.registry.models import Household, Person

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MIN_REASON = 4
# Who verifies warnings and records visits: those who may open applications and referrals.
# Application types a warning or a visit may open (the single window's kinds).
HELP_KINDS = ("temp_emergency", "temp_expenditure", "dibao", "tekun", "disability_living",
              "disability_nursing", "other_need")


def today() -> dt.date:
    return timezone.localdate()


def _require_county(actor: Actor) -> None:
    if not permissions.is_county_staff(actor):
        raise PermissionDenied(_("Only county civil-affairs staff may do this."))


def _require_field(actor: Actor, area_code: str) -> None:
    if not may(actor, Capability.VERIFY_WARNINGS) or not covers(actor, area_code):
        raise PermissionDenied(_("You may not verify cases in this village."))


# --- department files ------------------------------------------------------------------------

def receive_import(actor: Actor, source: str, upload: Any) -> SourceImport:
    """Keep the file under a generated name (jobs.start_import queues the matching)."""
    _require_county(actor)
    if source not in LAYOUTS:
        raise ValidationError({"source": _("Choose the department the file comes from.")})
    name = Path(getattr(upload, "name", "") or "upload.csv").name[:200]
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError({"file": _("Upload a CSV or Excel file (.csv, .xlsx).")})
    if (getattr(upload, "size", 0) or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 200 MB; split it.")})
    digest = _sha256(upload)
    saved: list[str] = []
    with uploads.removed_on_error(saved), transaction.atomic():
        job = SourceImport(source=source, original_name=name, sha256=digest,
                           created_by=actor.user)
        job.file.save(f"{digest[:16]}{Path(name).suffix.lower()}", upload, save=False)
        saved.append(job.file.name)
        job.save()
        audit.record("discovery.import.start", user=actor, obj=job,
                     source=source, file=name, sha256=digest)
    return job


def _sha256(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# --- warnings --------------------------------------------------------------------------------

def verify_warning(actor: Actor, warning: EarlyWarning, outcome: str,
                   data: dict[str, Any]) -> EarlyWarning:
    """Close a warning after the visit: open an application, refer, or "no need"."""
    _require_field(actor, warning.area_id)
    note = str(data.get("note", "")).strip()
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what the verification found.")})
    if outcome == Outcome.NO_NEED and len(note) < MIN_REASON:
        raise ValidationError({"note": _("Say why there is no need (at least 4 characters).")})
    with transaction.atomic():
        locked = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
        if locked.status != WarningStatus.OPEN:
            raise ValidationError(_("This warning was already verified."))
        household = Household.objects.get(pk=locked.household_id)
        person = _person(locked.person_id, household)
        if outcome == Outcome.APPLICATION:
            locked.application_id = _apply(actor, household, person, data, note)
        elif outcome == Outcome.REFERRAL:
            locked.referral_id = _refer(actor, household, person, data, note)
        locked.status, locked.outcome, locked.outcome_note = WarningStatus.DONE, outcome, note
        locked.closed_on, locked.closed_by, locked.open_key = today(), actor.user, None
        locked.save()
        audit.record("discovery.warning.verify", user=actor, obj=locked,
                     outcome=outcome, application=locked.application_id,
                     referral=locked.referral_id)
    return locked


def _person(person_id: int | None, household: Household) -> Person | None:
    if person_id is None:
        return None
    return household.members.filter(pk=person_id).first()


def _applicant(household: Household, person: Person | None) -> Person:
    if person is not None and person.deceased_on is None:
        return person
    living = household.members.filter(deceased_on__isnull=True)
    head = living.filter(relation="head").first() or living.order_by("birth_date").first()
    if head is None:
        raise ValidationError(_("Nobody in this household is alive to apply."))
    return head


def _apply(actor: Actor, household: Household, person: Person | None, data: dict[str, Any],
           note: str) -> int:
    kind = str(data.get("kind", ""))
    if kind not in HELP_KINDS:
        raise ValidationError({"kind": _("Choose the type of application.")})
    reason = str(data.get("reason", "")).strip() or note
    if not reason:
        raise ValidationError({"reason": _("Say what the household needs and why.")})
    applicant = _applicant(household, person)
    app = applications.create_application(actor, kind=kind, household=household,
                                          applicant=applicant, reason=reason,
                                          channel=Channel.VILLAGE)
    return int(app.pk)


def _refer(actor: Actor, household: Household, person: Person | None, data: dict[str, Any],
           note: str) -> int:
    referral = referrals.send_referral(actor, household, {
        "department": data.get("department", ""), "subject": data.get("subject", ""),
        "description": note or data.get("subject", "")}, person=person)
    return int(referral.pk)


# --- campaigns -------------------------------------------------------------------------------

def create_campaign(actor: Actor, data: dict[str, Any]) -> Campaign:
    _require_county(actor)
    name = str(data.get("name", "")).strip()
    if not name:
        raise ValidationError({"name": _("Give the campaign a name.")})
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, dt.date) or not isinstance(ends, dt.date) or ends < starts:
        raise ValidationError({"ends_on": _("The end date must be on or after the start.")})
    categories = [c for c in data.get("categories") or [] if c in BY_CODE]
    if not categories:
        raise ValidationError({"categories": _("Choose at least one group to visit.")})
    area = Area.objects.filter(code=str(data.get("area_code") or "")).first()
    if area is None or not covers(actor, area.code):
        raise ValidationError({"area_code": _("Choose an area inside your jurisdiction.")})
    with transaction.atomic():
        campaign = Campaign.objects.create(name=name, area=area, starts_on=starts,
                                           ends_on=ends, categories=categories,
                                           created_by=actor.user)
        audit.record("discovery.campaign.create", user=actor, obj=campaign,
                     categories=categories)
    return campaign


def record_visit(actor: Actor, visit: Visit, data: dict[str, Any]) -> Visit:
    """What the village worker found: found or not, the situation, the needs."""
    _require_field(actor, visit.area_id)
    status = str(data.get("status", ""))
    if status not in (VisitStatus.FOUND, VisitStatus.NOT_FOUND):
        raise ValidationError({"status": _("Say whether the person was found.")})
    situation = str(data.get("situation", "")).strip()
    if status == VisitStatus.FOUND and not situation:
        raise ValidationError({"situation": _("Describe the situation you found.")})
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        locked.status, locked.situation = status, situation
        locked.needs = str(data.get("needs", "")).strip()
        locked.needs_help = bool(data.get("needs_help")) and status == VisitStatus.FOUND
        locked.visited_on = data.get("visited_on") or today()
        locked.visited_by = actor.user
        locked.save()
        audit.record("discovery.visit.record", user=actor, obj=locked,
                     status=status, needs_help=locked.needs_help)
    return locked


def visit_help(actor: Actor, visit: Visit, outcome: str, data: dict[str, Any]) -> Visit:
    """One click from a finding that needs help to an application or a referral."""
    _require_field(actor, visit.area_id)
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.status != VisitStatus.FOUND:
            raise ValidationError(_("Record the visit first."))
        if locked.application_id or locked.referral_id:
            raise ValidationError(_("Help was already asked for this finding."))
        household = Household.objects.get(pk=locked.household_id)
        person = _person(locked.person_id, household)
        note = locked.needs or locked.situation
        if outcome == Outcome.APPLICATION:
            locked.application_id = _apply(actor, household, person, data, note)
        elif outcome == Outcome.REFERRAL:
            locked.referral_id = _refer(actor, household, person, data, note)
        else:
            raise ValidationError({"outcome": _("Choose an application or a referral.")})
        locked.needs_help = True
        locked.save()
        audit.record("discovery.visit.help", user=actor, obj=locked,
                     outcome=outcome)
    return locked


def add_found_person(actor: Actor, campaign: Campaign, category: str,
                     household: dict[str, Any], head: dict[str, Any],
                     data: dict[str, Any]) -> Visit:
    """A person in difficulty found during the visits: into the registry and the list."""
    if category not in BY_CODE:
        raise ValidationError({"category": _("Choose the group the person belongs to.")})
    _require_field(actor, str(household.get("area_code", "")))
    with transaction.atomic():
        record = registry.create_household(actor, household, head)
        person = record.members.get(relation="head")
        visit = Visit.objects.create(
            campaign=campaign, category=category, covered=BY_CODE[category].covered,
            person=person, household=record, area=record.area, status=VisitStatus.FOUND,
            added_in_visit=True, visited_on=today(), visited_by=actor.user,
            situation=str(data.get("situation", "")).strip(),
            needs=str(data.get("needs", "")).strip(), needs_help=bool(data.get("needs_help")))
        Campaign.objects.filter(pk=campaign.pk).update(targets=campaign.visits.count())
        audit.record("discovery.visit.add", user=actor, obj=visit,
                     household=record.number)
    return visit
