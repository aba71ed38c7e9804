"""Dashboards: the user's default one (``home``) and each by name, for a range of months and
an area. The views only read the form and call ``dashboards``; every figure is computed
there."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.core.access import requires
from safetynet.reports import dashboards
from safetynet.reports.permissions import can_read
from safetynet.reports.query import ReportQuery, from_params

REFUSED = _("Statistics are open to civil-affairs staff and leaders only.")


@requires(can_read, REFUSED)
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's role, with the same query string."""
    board = dashboards.default_dashboard(request.user)
    url = reverse("reports:dashboard", args=[board.name])
    params = request.GET.urlencode()
    return redirect(f"{url}?{params}" if params else url)


@requires(can_read, REFUSED)
def dashboard(request: HttpRequest, name: str) -> HttpResponse:
    board = dashboards.DASHBOARD_BY_NAME.get(name)
    if board is None:
        raise Http404
    user = request.user
    params = _params(request.GET)
    measure = params.get("measure") or "yuan"
    if measure not in dict(dashboards.MEASURES):
        measure = "yuan"
    context: dict[str, Any] = {"board": board, "measure": measure, "errors": {},
                               "values": params, "query": None, "panels": []}
    version = dashboards.data_version()
    try:
        latest = None if params.get("to") else dashboards.latest_paid_month(user, version)
        query = from_params(params, user, timezone.localdate(), latest=latest)
    except ValidationError as exc:
        context["errors"] = exc.message_dict
        context.update(_chrome(board, None, user, params.get("area", ""), measure))
        return render(request, "reports/dashboard.html", context, status=400)
    context.update(query=query, values=query.as_params(),
                   panels=dashboards.build(board, query, user, measure, version))
    context.update(_chrome(board, query, user, query.area, measure))
    return render(request, "reports/dashboard.html", context)


def _params(get: QueryDict) -> dict[str, str]:
    """``from``/``to``/``area``/``measure``; ``month`` (one month) stands for both ends."""
    params = {k: get.get(k, "").strip() for k in ("from", "to", "area", "measure")}
    month = get.get("month", "").strip()
    if month:
        params["from"] = params["to"] = month
    return params


def _chrome(board: dashboards.Dashboard, query: ReportQuery | None, user: Any, area: str,
            measure: str) -> dict[str, Any]:
    """Tabs to the other dashboards and measures, and the areas of the form."""
    def link(name: str, **changes: str) -> str:
        if query is None:
            return reverse("reports:dashboard", args=[name])
        return dashboards.dashboard_url(name, query, **changes)

    areas = dashboards.area_choices(user, area)
    return {
        "tabs": [{"name": d.name, "title": d.title, "url": link(d.name, measure=measure)}
                 for d in dashboards.DASHBOARDS],
        "measures": [{"key": k, "title": t, "url": link(board.name, measure=k)}
                     for k, t in dashboards.MEASURES],
        "areas": areas,
        "area_name": dict(areas).get(area, area),
    }
