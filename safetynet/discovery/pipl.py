"""What personal data active discovery holds (read by safetynet/core/pipl.py).

Departments' files are kept as uploaded (they name people by ID number); each row is kept
with the blind index of its ID number (never the number itself), the name and the facts
of the event (medical costs, disability grade, death, job loss, disaster damage, hotline
request); warnings and visits name the household and person and what staff found.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import REGISTRY_EDITORS, REGISTRY_READERS, Role
from safetynet.core.pipl import (
    EDIT,
    READ,
    STATUTORY_DUTY_SECURITY,
    Access,
    Category,
    Declaration,
    Group,
    Text,
)
from safetynet.registry.pipl import SOCIAL_ASSISTANCE

DISCOVERY = _("Find people in difficulty early (active discovery): match other departments' "
              "data, warn the village, visit and help")
RETENTION = _("Never hard-deleted; disposal follows the bureau's records retention schedule "
              "for social-assistance files")
COUNTY = frozenset({Role.APPROVER, Role.OFFICER})
ACCESS = (Access(READ, REGISTRY_READERS), Access(EDIT, REGISTRY_EDITORS))
FILE_ACCESS = (Access(READ, COUNTY),)
ACCOUNTABILITY = _("Accountability: who imported, verified or visited")


def _group(title: Text, fields: tuple[str, ...], category: Category,
           access: tuple[Access, ...] = ACCESS) -> Group:
    return Group(title=title, fields=fields, category=category, purpose=DISCOVERY,
                 basis=SOCIAL_ASSISTANCE, retention=RETENTION, access=access)


def _staff(fields: tuple[str, ...]) -> Group:
    return Group(title=_("Staff who imported, verified or visited"), fields=fields,
                 category=Category.STAFF, purpose=ACCOUNTABILITY,
                 basis=STATUTORY_DUTY_SECURITY, retention=RETENTION,
                 access=(Access(READ, REGISTRY_READERS),))


SOURCE_IMPORT = Declaration(
    model="discovery.SourceImport",
    subjects=_("People named in other departments' files"),
    groups=(
        _group(_("The department's file as uploaded, and its rows that did not match"),
               ("file", "unmatched", "errors"), Category.EXTRACT, FILE_ACCESS),
        _staff(("created_by",)),
    ),
    not_personal=("source", "original_name", "sha256", "created_at", "finished_at", "status",
                  "total_rows", "new_rows", "repeated_rows", "matched_rows", "unmatched_rows",
                  "warnings_raised", "message", "timings"),
)

EXTERNAL_RECORD = Declaration(
    model="discovery.ExternalRecord",
    subjects=_("People named in other departments' files"),
    groups=(
        _group(_("Who the row is about: blind index of the ID number, name, person, household "
                 "and village"), ("id_number_index", "name", "person", "household", "area"),
               Category.IDENTITY),
        _group(_("The event: medical costs, disability grade, death, job loss, disaster "
                 "damage or hotline request"), ("event_on", "amount", "grade", "code", "data"),
               Category.HEALTH),
    ),
    not_personal=("source", "row_key", "source_import", "row_number"),
)

WARNING = Declaration(
    model="discovery.EarlyWarning",
    subjects=_("Residents whom other departments' data show in difficulty"),
    groups=(
        _group(_("Who the warning is about"), ("household", "person", "area"),
               Category.IDENTITY),
        _group(_("Why it was raised, its evidence and what the verification found"),
               ("facts", "evidence", "outcome", "outcome_note", "application_id",
                "referral_id", "suppressed_because"), Category.ASSISTANCE),
        _staff(("closed_by",)),
    ),
    not_personal=("rule", "source", "severity", "status", "open_key", "signals", "raised_on",
                  "last_signal_on", "due_on", "escalation", "closed_on", "created_at"),
)

CAMPAIGN = Declaration(
    model="discovery.Campaign",
    subjects=_("Staff who ran screening campaigns"),
    groups=(_staff(("created_by",)),),
    not_personal=("name", "area", "starts_on", "ends_on", "categories", "targets",
                  "created_at"),
)

VISIT = Declaration(
    model="discovery.Visit",
    subjects=_("Residents visited in screening campaigns"),
    groups=(
        _group(_("Who is to be visited, in which group"),
               ("person", "household", "area", "category", "covered", "added_in_visit"),
               Category.ASSISTANCE),
        _group(_("What the visit found and the help asked for"),
               ("status", "visited_on", "situation", "needs", "needs_help", "application_id",
                "referral_id"), Category.FAMILY),
        _staff(("visited_by",)),
    ),
    not_personal=("campaign",),
)

MONITOR_ENTRY = Declaration(
    model="discovery.MonitorEntry",
    subjects=_("Households in the monitored low-income population"),
    groups=(
        _group(_("Which household is monitored, in which category, since when"),
               ("household", "area", "category", "entered_on", "exited_on",
                "per_capita_income"), Category.ASSISTANCE),
    ),
    not_personal=("entered_run", "exited_run"),
)

DECLARATIONS = [SOURCE_IMPORT, EXTERNAL_RECORD, WARNING, CAMPAIGN, VISIT, MONITOR_ENTRY]
NON_PERSONAL: dict[str, Text] = {
    "discovery.MonitoringRun": _("Counts of one recomputation of the monitored list"),
}
