"""Dashboards: which ones there are, who lands on which, and the figures of their panels.

Every panel is a function of ``(query, user)`` that runs a fixed, small number of
aggregate queries (GROUP BY in the database, never a loop of queries) and returns plain
dataclasses for the template and the chart JSON. Money figures come from the ledger
(``ledger.cells``) with the figure definitions of ``lines.PAYMENT_FIGURES``, so a
dashboard's number is the summary report's number and the drill-down list's total.

"Units" are the areas one level below the report's area: the townships of the county,
the villages of a township (a village is its own unit).
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    Expression,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Substr
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Role
from safetynet.benefits.models import Program
from safetynet.benefits.months import label
from safetynet.children.models import OPEN_CASE_STATES, Category, ChildProfile, HotlineCase
from safetynet.core.jurisdiction import scope, user_area_codes
from safetynet.core.models import Area
from safetynet.core.money import from_fen
from safetynet.discovery.models import EarlyWarning, VisitStatus, WarningStatus
from safetynet.discovery.selectors import campaigns_for
from safetynet.eldercare.models import ModificationPlan, PlanStatus, ServiceOrder, Visit
from safetynet.eldercare.selectors import assessments_due
from safetynet.intake.models import OPEN_REFERRAL_STATES, OPEN_STATES, Referral
from safetynet.intake.selectors import applications_for
from safetynet.payments.models import BankFile, LineStatus, PaymentLine, PayrollRun, RunStatus
from safetynet.reports import ledger
from safetynet.reports.lines import PAYMENT_BY_KEY, PaymentFigure
from safetynet.reports.query import ReportQuery

# --- the dashboards ----------------------------------------------------------------------

MAIN_FIGURES = ("dibao_rural", "dibao_urban", "tekun", "temporary", "disability",
                "orphan_allowance", "elderly_allowance")
ASSISTANCE_FIGURES = ("dibao_rural", "dibao_urban", "tekun_basic", "tekun_care", "tekun",
                      "temporary", "disability_living", "disability_nursing", "disability")


@dataclass(frozen=True)
class Dashboard:
    name: str
    title: Promise
    figures: tuple[str, ...]  # payment figures of the money panels
    panels: tuple[str, ...]  # panel names, in page order
    default_for: frozenset[str] = frozenset()  # roles that land on it


DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard("leader", _("Overview"), MAIN_FIGURES,
              ("headline", "townships", "grid", "trend", "overdue", "payments"),
              frozenset({Role.LEADER})),
    Dashboard("assistance", _("Social assistance"), ASSISTANCE_FIGURES,
              ("headline", "townships", "grid", "trend", "overdue"),
              frozenset({Role.APPROVER, Role.OFFICER, Role.CLERK})),
    Dashboard("finance", _("Payments"), MAIN_FIGURES,
              ("payments", "headline", "trend", "townships"), frozenset({Role.FINANCE})),
    Dashboard("eldercare", _("Elderly care"), ("elderly_allowance",),
              ("headline", "eldercare", "townships", "trend")),
    Dashboard("children", _("Children"), ("orphan_allowance",),
              ("children", "headline", "townships", "trend"),
              frozenset({Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})),
    Dashboard("discovery", _("Active discovery"), (),
              ("discovery", "overdue"), frozenset({Role.VILLAGE})),
)
DASHBOARD_BY_NAME = {d.name: d for d in DASHBOARDS}


def default_dashboard(user: Any) -> Dashboard:
    role = getattr(user, "role", "")
    return next((d for d in DASHBOARDS if role in d.default_for), DASHBOARDS[0])


# --- links -------------------------------------------------------------------------------


def records_url(figure: str, query: ReportQuery, area: str = "", month: str = "") -> str:
    """The drill-down list of one figure (who was paid), for ``area`` and ``month``."""
    params = query.as_params()
    if area:
        params["area"] = area
    if month:
        params["from"] = params["to"] = month
    return _path("reports:records", figure, get_script_prefix()) + "?" + urlencode(params)


def dashboard_url(name: str, query: ReportQuery, **changes: str) -> str:
    params = {**query.as_params(), **changes}
    return _path("reports:dashboard", name, get_script_prefix()) + "?" + urlencode(params)


@functools.lru_cache(maxsize=256)
def _path(view: str, arg: str, prefix: str) -> str:
    """reverse() once per view, argument and script prefix: a dashboard links a few hundred
    cells (every figure of every township and month) to a handful of paths."""
    return reverse(view, args=[arg])


# --- units: the areas one level below the report's area ---------------------------------


def unit_length(area: str) -> int:
    return 9 if len(area) <= 6 else 12


def unit_of(area: str) -> Expression:
    """The unit (a code prefix) of a record with an ``area`` foreign key."""
    return Substr("area_id", 1, unit_length(area))


def units(query: ReportQuery) -> list[tuple[str, str]]:
    """(code, name) of the report area's children, or of the area itself when it has none.
    One query."""
    found = list(Area.objects.filter(Q(parent_id=query.area) | Q(code=query.area))
                 .order_by("code").values_list("code", "name"))
    children = [(c, n) for c, n in found if c != query.area]
    return children or [(c, n) for c, n in found if c == query.area] or [(query.area,
                                                                          query.area)]


def count_by_unit(queryset: QuerySet[Any], query: ReportQuery,
                  **counts: Any) -> dict[str, dict[str, int]]:
    """Per unit of ``query``, the named counts over ``queryset`` (records with an area).
    One query."""
    rows = (queryset.filter(area__code__startswith=query.area).order_by()
            .annotate(u=unit_of(query.area)).values("u").annotate(**counts))
    return {r["u"]: {k: int(r[k] or 0) for k in counts} for r in rows}


# --- remembering the money figures --------------------------------------------------------
# Counting distinct households and persons over a county's year of payment lines takes
# seconds; the lines change only when a payroll is prepared, a bank file is read or a run
# changes status. So the aggregates are kept in the cache under the data's version (and
# for at most CACHE_SECONDS, for slower changes such as a household's hukou type).

CACHE_SECONDS = 600
T = TypeVar("T")


def data_version() -> str:
    """A fingerprint of the payment data: lines (last id), bank files read (last id), runs
    (id, status, lines). Three small queries."""
    lines = PaymentLine.objects.order_by().aggregate(last=Max("pk"))
    files = BankFile.objects.order_by().aggregate(last=Max("pk"))
    runs = list(PayrollRun.objects.order_by("pk").values_list("pk", "status", "lines"))
    return hashlib.sha256(repr((lines, files, runs)).encode()).hexdigest()[:20]


def remember(version: str | None, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for the same ``parts`` and data version;
    without a version, always computed."""
    if version is None:
        return compute()
    key = "reports:dash:" + hashlib.sha256(repr((version, *parts)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]


def _who(user: Any) -> tuple[str, ...] | None:
    return None if user is None else tuple(user_area_codes(user))


# --- money figures -----------------------------------------------------------------------


@dataclass
class Cell:
    """One figure over one unit (a month, a township, the whole report)."""

    households: int = 0
    persons: int = 0
    fen: int = 0
    url: str = ""
    figure: str = ""

    @property
    def yuan(self) -> Decimal:
        return from_fen(self.fen)

    @property
    def wan(self) -> str:
        """Yuan in units of 10,000 (万元), two places."""
        return f"{Decimal(self.fen) / 1_000_000:,.2f}"

    @property
    def households_text(self) -> str:
        return f"{self.households:,}"

    @property
    def persons_text(self) -> str:
        return f"{self.persons:,}"

    def text(self, measure: str) -> str:
        value = self.value(measure)
        return f"{value:,.2f}" if isinstance(value, Decimal) else f"{value:,}"

    def value(self, measure: str) -> int | Decimal:
        if measure == "households":
            return self.households
        if measure == "persons":
            return self.persons
        return self.yuan


MEASURES: tuple[tuple[str, Promise], ...] = (
    ("yuan", _("Yuan paid")), ("households", _("Households")), ("persons", _("Persons")))


def figures_of(keys: Iterable[str]) -> list[PaymentFigure]:
    return [PAYMENT_BY_KEY[k] for k in keys]


def figure_cells(query: ReportQuery, user: Any, figures: Sequence[PaymentFigure],
                 by: str) -> dict[str, dict[str, Cell]]:
    """group -> figure key -> Cell, from the ledger (``ledger.cells``: ``TOTAL`` keyed by
    the report's area, ``UNIT`` by township or village code, ``MONTH`` by YYYY-MM)."""
    return {group: {key: Cell(t.households, t.persons, t.fen) for key, t in row.items()}
            for group, row in ledger.cells(query, user, figures, by).items()}


@dataclass(frozen=True)
class FigureHead:
    key: str
    label: str


@dataclass
class Row:
    code: str
    name: str
    cells: list[Cell]
    url: str = ""  # the dashboard zoomed into this row (a month, a township)
    shown: list[tuple[Cell, str]] = field(default_factory=list)  # cells in the measure

    def show(self, measure: str) -> Row:
        self.shown = [(c, c.text(measure)) for c in self.cells]
        return self


def _heads(figures: Sequence[PaymentFigure]) -> list[FigureHead]:
    return [FigureHead(f.key, str(f.label)) for f in figures]


def _cells_row(found: dict[str, Cell], figures: Sequence[PaymentFigure], query: ReportQuery,
               area: str = "", month: str = "") -> list[Cell]:
    row = []
    for f in figures:
        cell = found.get(f.key) or Cell()
        cell.url = records_url(f.key, query, area=area, month=month)
        cell.figure = f.key
        row.append(cell)
    return row


@dataclass
class Headline:
    figures: list[FigureHead]
    cells: list[Cell]

    @property
    def items(self) -> list[tuple[FigureHead, Cell]]:
        return list(zip(self.figures, self.cells, strict=True))


def headline(query: ReportQuery, user: Any, keys: Sequence[str],
             version: str | None = None) -> Headline:
    """Each figure over the whole report (months and area). Up to three queries."""
    figures = figures_of(keys)
    found = remember(version, ("total", query, tuple(keys), _who(user)), lambda: figure_cells(
        query, user, figures, ledger.TOTAL))
    return Headline(_heads(figures), _cells_row(found.get(query.area, {}), figures, query))


@dataclass
class Trend:
    figures: list[FigureHead]
    rows: list[Row]
    chart: dict[str, Any]


def trend(query: ReportQuery, user: Any, keys: Sequence[str], board: str,
          measure: str = "yuan", version: str | None = None) -> Trend:
    """Each figure per month of the report. Up to three queries."""
    figures = figures_of(keys)
    found = remember(version, ("month", query, tuple(keys), _who(user)), lambda: figure_cells(
        query, user, figures, ledger.MONTH))
    rows = []
    for month in (label(m) for m in query.months):
        rows.append(Row(month, month, _cells_row(found.get(month, {}), figures, query,
                                                 month=month),
                        dashboard_url(board, query, **{"from": month, "to": month})
                        ).show(measure))
    chart = {"type": "line", "categories": [r.name for r in rows], "axis": _axis(measure),
             "series": [{"name": h.label, "data": [_number(r.cells[i].value(measure))
                                                   for r in rows],
                         "urls": [r.cells[i].url for r in rows]}
                        for i, h in enumerate(_heads(figures))]}
    return Trend(_heads(figures), rows, chart)


@dataclass
class Townships:
    figures: list[FigureHead]
    rows: list[Row]
    unit_label: str
    measure: str
    total: Row | None = None
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def grid_height(self) -> int:
        return 110 + 30 * len(self.rows)


def townships(query: ReportQuery, user: Any, keys: Sequence[str], board: str,
              measure: str = "yuan", totals: Headline | None = None,
              version: str | None = None) -> Townships:
    """Each figure per unit (township, or village of a township): the table a leader reads
    "how much in which township" from, every number a link to who was paid. Up to four
    queries."""
    figures = figures_of(keys)
    found = remember(version, ("unit", query, tuple(keys), _who(user)), lambda: figure_cells(
        query, user, figures, ledger.UNIT))
    rows = [Row(code, name, _cells_row(found.get(code, {}), figures, query, area=code),
                dashboard_url(board, query, area=code) if len(code) < 12 else "").show(measure)
            for code, name in units(query)]
    label_ = _("Township") if unit_length(query.area) == 9 else _("Village / community")
    panel = Townships(_heads(figures), rows, str(label_), measure)
    if totals is not None:
        panel.total = Row(query.area, str(_("Total")), totals.cells).show(measure)
    panel.chart = _grid_chart(panel)
    return panel


def _grid_chart(panel: Townships) -> dict[str, Any]:
    """The heatmap: units down, figures across, the measure in each cell; a click on a cell
    opens its list."""
    points, labels, urls = [], [], []
    for y, row in enumerate(panel.rows):
        for x, cell in enumerate(row.cells):
            value = cell.value(panel.measure)
            points.append([x, y, _number(value)])
            labels.append(cell.wan if panel.measure == "yuan" else f"{value:,}")
            urls.append(cell.url)
    top = max((p[2] for p in points), default=0)
    return {"type": "heatmap", "x": [h.label for h in panel.figures],
            "y": [r.name for r in panel.rows], "points": points, "labels": labels,
            "urls": urls, "max": top or 1, "height": panel.grid_height,
            "unit": str(_("10,000 yuan")) if panel.measure == "yuan" else ""}


def _axis(measure: str) -> str:
    return str(dict(MEASURES).get(measure, MEASURES[0][1]))


def _number(value: int | Decimal) -> float | int:
    return float(value) if isinstance(value, Decimal) else value


# --- overdue work --------------------------------------------------------------------------


@dataclass
class CountRow:
    code: str
    name: str
    counts: list[int]
    url: str = ""


@dataclass
class CountTable:
    """Counts per unit under named columns, with totals and a stacked bar chart."""

    columns: list[str]
    rows: list[CountRow]
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def totals(self) -> list[int]:
        return [sum(r.counts[i] for r in self.rows) for i in range(len(self.columns))]

    @property
    def any(self) -> bool:
        """Something to draw (a chart of zeros says less than the table)."""
        return any(self.totals)


def _table(query: ReportQuery, columns: list[tuple[str, str]],
           found: dict[str, dict[str, int]], title: str = "") -> CountTable:
    rows = [CountRow(code, name, [found.get(code, {}).get(key, 0) for key, _label in columns])
            for code, name in units(query)]
    table = CountTable([str(lbl) for _key, lbl in columns], rows)
    table.chart = {"type": "bars", "stacked": True, "categories": [r.name for r in rows],
                   "height": 320,
                   "axis": title, "series": [{"name": name, "data": [r.counts[i] for r in rows]}
                                             for i, name in enumerate(table.columns)]}
    return table


def overdue(query: ReportQuery, user: Any, on: date | None = None) -> CountTable:
    """Late work per unit, as of today, by each app's own definition of late: single-window
    steps past their due date and referrals unanswered after theirs (intake), warnings not
    verified in time (discovery), child visits past due and 12345 cases past their deadline
    (children), ability reassessments due (elderly care). Six queries."""
    day = on or timezone.localdate()
    n = {"n": Count("pk")}
    sources: list[tuple[str, Any, QuerySet[Any]]] = [
        ("steps", _("Single-window steps overdue"),
         applications_for(user).filter(state__in=OPEN_STATES, due_on__lt=day)),
        ("referrals", _("Referrals unanswered after the deadline"),
         scope(Referral.objects.filter(state__in=OPEN_REFERRAL_STATES, due_on__lt=day), user)),
        ("warnings", _("Early warnings not verified in time"),  # warnings_for(user, "late")
         scope(EarlyWarning.objects.filter(status=WarningStatus.OPEN, due_on__lt=day), user)),
        ("visits", _("Child visits overdue"),
         scope(ChildProfile.objects.filter(active=True, next_visit_due__lt=day), user)),
        ("cases", _("12345 child cases past the deadline"),
         scope(HotlineCase.objects.filter(state__in=OPEN_CASE_STATES, due_on__lt=day), user)),
        ("assessments", _("Ability reassessments due"), assessments_due(user, day)),
    ]
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for key, _label, queryset in sources:
        for code, counts in count_by_unit(queryset, query, **n).items():
            found[code][key] = counts["n"]
    return _table(query, [(k, str(lbl)) for k, lbl, _qs in sources], found,
                  str(_("Items")))


# --- payments' status ----------------------------------------------------------------------

LINE_STATUSES = (LineStatus.PENDING, LineStatus.PAID, LineStatus.FAILED, LineStatus.CANCELLED)


@dataclass
class StatusCell:
    lines: int = 0
    fen: int = 0

    @property
    def yuan(self) -> Decimal:
        return from_fen(self.fen)


@dataclass
class StatusRow:
    program: str
    label: str
    lines: list[StatusCell]
    runs: dict[str, int]

    @property
    def runs_text(self) -> list[tuple[str, int]]:
        names = dict(RunStatus.choices)
        return [(str(names.get(s, s)), n) for s, n in sorted(self.runs.items())]


@dataclass
class Payments:
    statuses: list[str]
    rows: list[StatusRow]
    chart: dict[str, Any]

    @property
    def totals(self) -> list[StatusCell]:
        return [StatusCell(sum(r.lines[i].lines for r in self.rows),
                           sum(r.lines[i].fen for r in self.rows))
                for i in range(len(self.statuses))]


def payments(query: ReportQuery, user: Any, version: str | None = None) -> Payments:
    """Per programme, the payroll runs of the report's months by status (runs are county
    totals) and the payment lines by status with their amounts (inside the area and the
    user's jurisdiction): paid lines from the ledger, the few others from the lines of the
    months' runs. Three queries."""
    runs_of_months = PayrollRun.objects.filter(period__gte=query.start, period__lte=query.end)
    unpaid = PaymentLine.objects.filter(  # few lines, found through the (run, status) index
        run_id__in=list(runs_of_months.values_list("pk", flat=True)),
        status__in=[s for s in LINE_STATUSES if s != LineStatus.PAID] + [LineStatus.CANCELLED],
        period__gte=query.start, period__lte=query.end, area__code__startswith=query.area)
    by_status = remember(version, ("status", query, _who(user)), lambda: list(
        scope(unpaid, user).order_by().values("program", "status")
        .annotate(n=Count("pk"), fen=Sum("amount", output_field=BigIntegerField()))))
    cells: dict[str, dict[str, StatusCell]] = defaultdict(dict)
    for r in by_status:
        cells[r["program"]][r["status"]] = StatusCell(int(r["n"]), int(r["fen"] or 0))
    paid = remember(version, ("paid", query, _who(user)),
                    lambda: ledger.paid_by_program(query, user))
    for program, (count, fen) in paid.items():
        if count:
            cells[program][LineStatus.PAID] = StatusCell(count, fen)
    runs: dict[str, dict[str, int]] = defaultdict(dict)
    for program, status, count in (runs_of_months.order_by()
                                   .values_list("program", "status").annotate(n=Count("pk"))):
        runs[program][status] = int(count)
    rows = [StatusRow(p, str(lbl), [cells[p].get(s, StatusCell()) for s in LINE_STATUSES],
                      runs.get(p, {}))
            for p, lbl in Program.choices if p in cells or p in runs]
    names = dict(LineStatus.choices)
    statuses = [str(names[s]) for s in LINE_STATUSES]
    chart = {"type": "bars", "stacked": True, "categories": [r.label for r in rows],
             "axis": str(_("Yuan")), "series": [
                 {"name": name, "data": [float(r.lines[i].yuan) for r in rows]}
                 for i, name in enumerate(statuses)]}
    return Payments(statuses, rows, chart)


# --- elderly care, children, discovery -----------------------------------------------------


def eldercare(query: ReportQuery, user: Any, on: date | None = None) -> CountTable:
    """Per unit: home-care orders of the report's months and those with at least one visit
    recorded (not voided); age-friendly modification plans of the report's years by status;
    ability reassessments due today. Three queries."""
    day = on or timezone.localdate()
    visited = Exists(Visit.objects.filter(order=OuterRef("pk"), voided=False))
    orders = scope(ServiceOrder.objects.filter(month__gte=query.start, month__lte=query.end),
                   user).annotate(visited=visited)
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for code, c in count_by_unit(orders, query, orders=Count("pk"),
                                 visited=Count("pk", filter=Q(visited=True))).items():
        found[code].update(c)
    years = range(query.start.year, query.end.year + 1)
    plans = scope(ModificationPlan.objects.filter(year__in=list(years)), user)
    for code, c in count_by_unit(plans, query, **{
            str(s): Count("pk", filter=Q(status=s))
            for s in (PlanStatus.PLANNED, PlanStatus.IN_WORK, PlanStatus.DONE)}).items():
        found[code].update(c)
    for code, c in count_by_unit(assessments_due(user, day), query, due=Count("pk")).items():
        found[code].update(c)
    columns = [("orders", _("Home-care orders")), ("visited", _("Orders visited")),
               ("planned", _("Modifications planned")), ("in_work", _("Modifications in work")),
               ("done", _("Modifications accepted")), ("due", _("Ability reassessments due"))]
    return _table(query, [(k, str(lbl)) for k, lbl in columns], found, str(_("Number")))


def children(query: ReportQuery, user: Any, on: date | None = None) -> CountTable:
    """Per unit: children followed, of them left-behind, guardianship confirmations signed,
    visits overdue; 12345 cases open and past the deadline. Counts only, no names. Two
    queries."""
    day = on or timezone.localdate()
    found: dict[str, dict[str, int]] = defaultdict(dict)
    followed = scope(ChildProfile.objects.filter(active=True), user)
    for code, c in count_by_unit(
            followed, query, children=Count("pk"),
            left_behind=Count("pk", filter=Q(categories__contains=f",{Category.LEFT_BEHIND},")),
            signed=Count("pk", filter=Q(guardianship_signed_on__isnull=False)),
            overdue=Count("pk", filter=Q(next_visit_due__lt=day))).items():
        found[code].update(c)
    cases = scope(HotlineCase.objects.filter(state__in=OPEN_CASE_STATES), user)
    for code, c in count_by_unit(cases, query, cases=Count("pk"),
                                 late=Count("pk", filter=Q(due_on__lt=day))).items():
        found[code].update(c)
    columns = [("children", _("Children followed")), ("left_behind", _("Left-behind")),
               ("signed", _("Guardianship confirmed")), ("overdue", _("Visits overdue")),
               ("cases", _("12345 cases open")), ("late", _("12345 cases past the deadline"))]
    return _table(query, [(k, str(lbl)) for k, lbl in columns], found, str(_("Number")))


@dataclass
class Discovery:
    table: CountTable
    campaign: Any = None


def discovery(query: ReportQuery, user: Any, on: date | None = None) -> Discovery:
    """Per unit: early warnings open, late and escalated; the latest screening campaign's
    visits (on the list, visited, found in need of help). Three queries."""
    day = on or timezone.localdate()
    found: dict[str, dict[str, int]] = defaultdict(dict)
    warnings = scope(EarlyWarning.objects.filter(status=WarningStatus.OPEN), user)
    for code, c in count_by_unit(warnings, query, open=Count("pk"),
                                 late=Count("pk", filter=Q(due_on__lt=day)),
                                 escalated=Count("pk", filter=Q(escalation__gte=1))).items():
        found[code].update(c)
    campaign = campaigns_for(user).order_by("-starts_on", "-pk").first()
    if campaign is not None:
        visits = scope(campaign.visits.all(), user)
        for code, c in count_by_unit(
                visits, query, listed=Count("pk"),
                visited=Count("pk", filter=~Q(status=VisitStatus.PENDING)),
                help=Count("pk", filter=Q(needs_help=True))).items():
            found[code].update(c)
    columns = [("open", _("Warnings to verify")), ("late", _("Warnings late")),
               ("escalated", _("Warnings escalated")), ("listed", _("People to visit")),
               ("visited", _("Visited")), ("help", _("Found in need of help"))]
    return Discovery(_table(query, [(k, str(lbl)) for k, lbl in columns], found,
                            str(_("Number"))), campaign)


# --- the page ------------------------------------------------------------------------------


def latest_paid_month(user: Any, version: str | None = None) -> date | None:
    """The last month with paid lines in the user's jurisdiction (the default report's last
    month), from the ledger."""
    found: tuple[date | None] = remember(version, ("latest", _who(user)),
                                         lambda: (ledger.latest_month(user),))
    return found[0]


def area_choices(user: Any, current: str = "") -> list[tuple[str, str]]:
    """The areas the form offers: the user's own and one level below them (the county and
    its townships, a township and its villages). One query."""
    codes = user_area_codes(user)
    found = list(Area.objects.filter(Q(code__in=codes) | Q(parent_id__in=codes))
                 .order_by("code").values_list("code", "name"))
    if current and current not in {c for c, _n in found}:
        found.append((current, current))
    return found


@dataclass
class Panel:
    name: str
    template: str
    data: Any


def build(board: Dashboard, query: ReportQuery, user: Any, measure: str = "yuan",
          version: str | None = None) -> list[Panel]:
    """The dashboard's panels, in order, with their data (the money figures remembered under
    ``version``, see ``remember``)."""
    builders = {
        "headline": lambda: headline(query, user, board.figures, version),
        "townships": lambda: townships(query, user, board.figures, board.name, measure,
                                       data("headline"), version),
        "trend": lambda: trend(query, user, board.figures, board.name, measure, version),
        "overdue": lambda: overdue(query, user),
        "payments": lambda: payments(query, user, version),
        "eldercare": lambda: eldercare(query, user),
        "children": lambda: children(query, user),
        "discovery": lambda: discovery(query, user),
    }
    found: dict[str, Any] = {}

    def data(name: str) -> Any:
        key = "townships" if name == "grid" else name  # the grid draws the townships' data
        if key not in found:
            found[key] = builders[key]()
        return found[key]

    return [Panel(name, f"reports/_dash_{name}.html", data(name)) for name in board.panels
            if board.figures or name not in MONEY_PANELS]


MONEY_PANELS = frozenset({"headline", "townships", "grid", "trend"})
