"""Active-discovery endpoints under /api/v1/discovery/ (read-only): the open warnings of
the caller's areas and a campaign's progress. Imports and verification are done in the
web UI (files and visits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from safetynet.discovery import rules, selectors

router = Router(tags=["discovery"])


class WarningOut(Schema):
    id: int
    rule: str
    rule_label: str
    severity: str
    household: str
    area_code: str
    raised_on: dt.date
    due_on: dt.date
    signals: int
    reason: str


class ProgressOut(Schema):
    code: str
    name: str
    total: int
    visited: int
    found: int
    needs_help: int
    percent: int


def _reader(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "can_read_registry", False):
        raise PermissionDenied(_("Only civil-affairs staff see this page."))
    return user


@router.get("/warnings", response=list[WarningOut])
def open_warnings(request: HttpRequest, limit: int = 100) -> list[dict[str, Any]]:
    user = _reader(request)
    rows = selectors.warnings_for(user)[:max(1, min(limit, 500))]
    return [{"id": w.pk, "rule": w.rule, "rule_label": rules.rule_label(w.rule),
             "severity": w.severity, "household": w.household.number, "area_code": w.area_id,
             "raised_on": w.raised_on, "due_on": w.due_on, "signals": w.signals,
             "reason": rules.explain(w.rule, w.facts)} for w in rows]


@router.get("/campaigns/{pk}/progress", response=list[ProgressOut])
def campaign_progress(request: HttpRequest, pk: int, township: str = "") -> list[dict[str, Any]]:
    user = _reader(request)
    campaign = selectors.campaign(user, pk)
    _total, lines = selectors.progress(user, campaign, township[:9])
    return [{**line.__dict__, "percent": line.percent} for line in lines]
