"""Printable documents of the single window as PDF: the application form (also blank),
the home-visit record, the review-and-approval form, the public-notice sheet and the
decision letter.

Django templates (safetynet/templates/intake/pdf/) rendered in the current language and
typeset by WeasyPrint with the Noto CJK fonts on A4. ID numbers are always masked;
nobody under 18 is ever named on a public notice; records of children under 14 that the
reader may not open (``hidden``) show no name. Everything happens in memory: the
renderer fetches no URL and nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from safetynet.benefits.models import Enrollment
from safetynet.core import areas
from safetynet.core.dates import next_month
from safetynet.core.masking import mask_id, mask_phone
from safetynet.core.models import Area
from safetynet.intake.models import Application, CheckSource, Kind, State, Step
from safetynet.intake.services.common import today
from safetynet.intake.services.notices import has_minor
from safetynet.intake.workflow import TEMPORARY_KINDS
from safetynet.registry.models import Household, Person

# Steps whose record a document prints, by action (the latest of each).
DECISIONS = ("approve", "refuse", "reject", "township_approve", "grant_now")
TOWNSHIP_DECISIONS = frozenset({"township_approve", "grant_now"})
DECIDED_STATES = frozenset({State.APPROVED, State.REFUSED, State.GRANTED})
NOTICE_STATES = frozenset({State.REVIEWED, State.NOTICE})
BLANK_MEMBER_ROWS = 6


class NotDecided(ValueError):
    """A decision letter was asked for an application that has no decision yet."""


# --- rendering ----------------------------------------------------------------------------


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """One template as PDF bytes; no resource is fetched from anywhere."""
    # WeasyPrint is heavy (Pango, fonts): loaded only when a PDF is rendered.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, {**context, "page_footer": page_footer()})
    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    return pdf


def page_footer() -> SafeString:
    """The CSS ``content`` of the page-number footer, in the current language."""
    text = _("Page %(page)s of %(pages)s")
    parts = [f'"{css_text(piece)}"' for piece in text.replace("%(pages)s", "\0P\0")
             .replace("%(page)s", "\0p\0").split("\0")]
    counters = {'"p"': "counter(page)", '"P"': "counter(pages)"}
    return mark_safe(" ".join(counters.get(part, part) for part in parts))  # noqa: S308


def css_text(text: str) -> str:
    return text.replace("\\", "").replace('"', "").replace("<", "").replace("\n", " ")


# --- the data the documents show ----------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    name: str
    sex: str
    birth_date: dt.date | None
    relation: str
    id_number: str
    disability: str
    health: str
    employment: str
    income: Decimal | None
    restricted: bool = False


def person_row(person: Person, hidden: Collection[int] = ()) -> PersonRow:
    if person.pk in hidden:
        return PersonRow(_("Restricted record"), "", None, person.get_relation_display(), "",
                         "", "", "", None, restricted=True)
    disability = " ".join(filter(None, [person.get_disability_category_display(),
                                        str(person.disability_grade or "")]))
    health = " ".join(filter(None, [_("serious illness") if person.serious_illness else "",
                                    person.health_notes]))
    income = sum((item.monthly_amount for item in person.incomes.all()), Decimal("0"))
    return PersonRow(person.name, person.get_sex_display(), person.birth_date,
                     person.get_relation_display(), mask_id(person.id_number), disability,
                     health, person.get_employment_display(), income)


def living_members(household: Household) -> list[Person]:
    return list(household.members.filter(deceased_on__isnull=True)
                .prefetch_related("incomes").order_by("pk"))


def household_size(household: Household) -> int:
    return household.members.filter(deceased_on__isnull=True, not_counted="").count()


def places(area: Area) -> dict[str, str]:
    """The county, township and village names above (and including) an area."""
    names: dict[str, str] = {}
    node: Area | None = area
    while node is not None:
        names[node.level] = node.name
        node = node.parent
    return {"county": names.get(areas.COUNTY, ""), "township": names.get(areas.TOWNSHIP, ""),
            "village": names.get(areas.VILLAGE, "")}


def latest_steps(app: Application) -> dict[str, Step]:
    return {step.action: step for step in app.steps.select_related("actor")}


def decision_step(steps: dict[str, Step]) -> Step | None:
    decided = [steps[action] for action in DECISIONS if action in steps]
    return max(decided, key=lambda step: (step.at, step.pk)) if decided else None


def case(app: Application, hidden: Collection[int] = ()) -> dict[str, Any]:
    """What every document of one application shows."""
    household = app.household
    members = living_members(household)
    steps = latest_steps(app)
    visit = steps.get("complete") or steps.get("visit")
    return {
        "app": app, "household": household, "places": places(app.area),
        "applicant": person_row(app.applicant, hidden),
        "beneficiary": person_row(app.beneficiary, hidden) if app.beneficiary else None,
        "phone": mask_phone(app.applicant.phone or household.phone),
        "members": [person_row(p, hidden) for p in members],
        "income_total": sum((p.income or Decimal("0") for p in
                             (person_row(m) for m in members)), Decimal("0")),
        "size": household_size(household), "steps": steps,
        "decision": decision_step(steps), "objections": list(app.objections.all()),
        "visit": visit, "visit_date": _iso_date(visit.data.get("visited_on")) if visit else None,
        "sources": source_labels(steps.get("check")), "township_decisions": TOWNSHIP_DECISIONS,
        "granted_amount": granted_amount(app), "printed_on": today(),
    }


def granted_amount(app: Application) -> Decimal | None:
    """What is paid: the enrolment's amount (the rules engine's for monthly programmes),
    else the amount on the application."""
    enrollment = _enrollment(app)
    amount = getattr(enrollment, "monthly_amount", None)
    return amount if amount is not None else app.amount


def source_labels(check: Step | None) -> list[str]:
    sources = (check.data.get("sources") or []) if check else []
    return [str(CheckSource(s).label) if s in CheckSource.values else str(s) for s in sources]


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


# --- the documents ------------------------------------------------------------------------


def application_form(app: Application | None = None, hidden: Collection[int] = ()) -> bytes:
    """The application form, filled in from ``app`` or blank for handwriting."""
    if app is None:
        context: dict[str, Any] = {"blank": True, "blank_rows": range(BLANK_MEMBER_ROWS),
                                   "kinds": Kind.choices, "printed_on": today()}
    else:
        context = case(app, hidden)
    return render_pdf("intake/pdf/application_form.html", context)


def visit_record(app: Application, hidden: Collection[int] = ()) -> bytes:
    """The home-visit record: filled in after the visit, with blanks before it."""
    return render_pdf("intake/pdf/visit_record.html", case(app, hidden))


def approval_form(app: Application, hidden: Collection[int] = ()) -> bytes:
    """Check, visit, township opinion, notice, appraisal and decision on one form."""
    return render_pdf("intake/pdf/approval_form.html", case(app, hidden))


def decision_letter(app: Application, hidden: Collection[int] = ()) -> bytes:
    """The letter to the applicant: the decision, its reasons and the right to appeal."""
    context = case(app, hidden)
    decision = context["decision"]
    if app.state not in DECIDED_STATES or decision is None:
        raise NotDecided(_("Application %(number)s has no decision yet.")
                         % {"number": app.number})
    context.update(letter_terms(app, decision))
    return render_pdf("intake/pdf/decision_letter.html", context)


def letter_terms(app: Application, decision: Step) -> dict[str, Any]:
    granted = app.state in (State.APPROVED, State.GRANTED) and decision.action != "reject"
    enrollment = _enrollment(app) if granted else None
    not_accepted = decision.action == "reject"
    title = (_("Decision on social assistance") if granted
             else _("Notice of non-acceptance") if not_accepted
             else _("Notice of refusal of social assistance"))
    return {
        "title": title, "granted": granted, "not_accepted": not_accepted,
        "one_off": app.kind in TEMPORARY_KINDS,
        "first_month": getattr(enrollment, "start_month", None) or _next_month(
            app.decided_on or today()),
        "by_township": decision.action in TOWNSHIP_DECISIONS,
        "decided_on": app.decided_on or decision.at.date(),
    }


def _enrollment(app: Application) -> Any:
    if app.enrollment_id is None:
        return None
    return Enrollment.objects.filter(pk=app.enrollment_id).first()


_next_month = next_month


# --- the public notice --------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    name: str
    id_number: str
    size: int
    programme: str
    amount: Decimal | None
    village: str


def postable(apps: Iterable[Application], on: dt.date) -> list[Application]:
    """The applications that may be named on a notice: nobody under 18 ever is."""
    return [app for app in apps if not has_minor(app, on)]


def notice_rows(apps: Iterable[Application], on: dt.date) -> list[NoticeRow]:
    rows = [NoticeRow(app.applicant.name, mask_id(app.applicant.id_number),
                      household_size(app.household), app.get_kind_display(),
                      app.amount if app.amount is not None else app.requested_amount,
                      app.area.name)
            for app in postable(apps, on)]
    return sorted(rows, key=lambda row: (row.village, row.name))


def notice_sheet(apps: Iterable[Application], area: Area, start: dt.date | None = None,
                 end: dt.date | None = None) -> bytes:
    """One sheet listing the applications posted together in a village or township.

    Ages are taken on the earlier of the posting day and today, so that nobody who is
    under 18 on either day is named.
    """
    on = min(start or today(), today())
    context = {"area": area, "places": places(area), "rows": notice_rows(apps, on),
               "start": start, "end": end, "printed_on": today()}
    return render_pdf("intake/pdf/notice_sheet.html", context)
