"""Printable delegated-guardianship confirmation (委托监护责任确认书), blank or filled, and the
rows of the children's exports (ID numbers and phones always masked)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safetynet.children import selectors
from safetynet.children.models import Category, ChildProfile
from safetynet.children.services.common import today
from safetynet.core.masking import mask_id, mask_phone
from safetynet.intake.documents import render_pdf


def guardianship_form(child: ChildProfile | None) -> bytes:
    """A4 PDF; ``None`` gives the blank form to fill in by hand."""
    latest = child.confirmations.first() if child else None
    return render_pdf("children/pdf/guardianship.html", {
        "child": child, "person": child.person if child else None, "confirmation": latest,
        "today": today(),
        "area": child.area.full_name if child else "",
        "guardian_phone": mask_phone(latest.guardian_phone) if latest else "",
    })


def _categories(child: ChildProfile) -> str:
    return "、".join(str(Category(c).label) for c in child.category_list
                    if c in Category.values)


def _child_row(child: ChildProfile) -> list[Any]:
    p = child.person
    return [child.area.parent.name if child.area.parent else "", child.area.name, p.name,
            mask_id(p.id_number), p.birth_date.isoformat(), _categories(child),
            child.get_risk_display(), child.carer_name, mask_phone(child.carer_phone),
            child.guardianship_signed_on or "", child.last_visit_on or "",
            child.next_visit_due or "", _("yes") if child.insured else _("no")]


_L = gettext_lazy
HEADER = [_L("Township"), _L("Village / community"), _L("Name"), _L("ID number"),
          _L("Birth date"), _L("Categories"), _L("Risk level"), _L("Actual carer"),
          _L("Carer's phone"), _L("Guardianship confirmed on"), _L("Last visit"),
          _L("Next visit due"), _L("Care insurance")]


def export_rows(user: Any, what: str) -> list[list[Any]]:
    """Header and rows of one export, inside the user's areas."""
    if what == "missing":
        children = selectors.missing_guardianship(user)
    elif what == "insurance":
        children = selectors.insurance_roster(user)
    else:
        children = selectors.followed(user).order_by("area", "person__name")
    header = [str(h) for h in HEADER]
    return [header, *(_child_row(c) for c in children.select_related("area__parent"))]
