"""Demo data of the discovery app: the monitored list computed over the demo county, the
2022 screening campaign with partial progress by township (some findings needing help),
and a hospital file from the health-insurance bureau imported through the real pipeline,
which raises a few warnings in the demo village (one late and escalated, one verified)."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q

from safetynet.accounts.models import User
from safetynet.core import idnumber
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.discovery import (
    campaigns,
    imports,
    jobs,
    matching,
    monitoring,
    services,
    warnings,
)
from safetynet.discovery.models import (
    Campaign,
    EarlyWarning,
    Outcome,
    SourceImport,
    Visit,
    VisitStatus,
    WarningStatus,
)
from safetynet.discovery.sources import layout
from safetynet.registry.models import Person

CAMPAIGN = "2022年困难群众大排查"
START, END = dt.date(2022, 3, 1), dt.date(2022, 12, 31)
SITUATIONS = ("家庭生活基本稳定", "老人独居，子女在外务工", "主要劳动力患病，收入减少",
              "房屋老旧，生活困难")
NEEDS = "申请临时救助，协调医疗救助"


def seed(county_code: str) -> int:
    """Create the demo records; return how many. Does nothing the second time."""
    if Campaign.objects.filter(area__code=county_code).exists():
        return 0
    staff = {u.username: u for u in User.objects.filter(
        username__in=["approver", "village", "officer"])}
    village = staff["village"].areas.first() if "village" in staff else None
    if len(staff) < 3 or village is None:
        return 0
    monitoring.recompute(trigger="demo")
    visits = _campaign(county_code, staff)
    created = _hospital_file(village, staff["approver"])
    _warnings_in_progress(village, staff["village"])
    monitoring.recompute(trigger="demo")
    return visits + created


# --- the screening campaign ------------------------------------------------------------------

def _campaign(county_code: str, staff: dict[str, User]) -> int:
    area = Area.objects.get(code=county_code)
    campaign = Campaign.objects.create(
        name=CAMPAIGN, area=area, starts_on=START, ends_on=END,
        categories=[g.code for g in campaigns.GROUPS], created_by=staff["approver"])
    campaigns.generate(campaign.pk)
    townships = list(Area.objects.filter(parent=area).order_by("code").values_list("code",
                                                                                  flat=True))
    rng = random.Random(2022)
    for index, township in enumerate(townships):
        share = 0.6 if index == 0 else 0.88 + 0.002 * index
        _visit_share(campaign, township, True, share, staff["village"], rng)
        _visit_share(campaign, township, False, UNCOVERED_SHARE, staff["village"], rng)
    return campaign.visits.count()


# By September 2022 Donghai had visited 25,462 entries of the covered groups' lists (a
# person on two lists counts on each) and 1,092 of the uncovered at-risk people (1,030 of
# them found at home).
UNCOVERED_SHARE, UNCOVERED_NOT_FOUND = 0.035, 0.06


def _visit_share(campaign: Campaign, township: str, covered: bool, share: float,
                 worker: User, rng: random.Random) -> None:
    pks = list(campaign.visits.filter(area__code__startswith=township, covered=covered)
               .order_by("pk").values_list("pk", flat=True))
    rng.shuffle(pks)
    done = pks[:int(len(pks) * share)]
    missing_rate = 0.03 if covered else UNCOVERED_NOT_FOUND
    found = sorted(pk for pk in done if rng.random() > missing_rate)
    seen = set(found)
    helped = sorted(pk for pk in found if not covered and rng.random() < 0.1)
    visited_on = START + dt.timedelta(days=rng.randrange(0, 200))
    with transaction.atomic():
        for chunk in _chunks(found):
            Visit.objects.filter(pk__in=chunk).update(
                status=VisitStatus.FOUND, visited_on=visited_on, visited_by=worker,
                situation=rng.choice(SITUATIONS))
        missing = sorted(set(done) - seen)
        for chunk in _chunks(missing):
            Visit.objects.filter(pk__in=chunk).update(
                status=VisitStatus.NOT_FOUND, visited_on=visited_on, visited_by=worker)
        for chunk in _chunks(helped):
            Visit.objects.filter(pk__in=chunk).update(needs_help=True, needs=NEEDS,
                                                      situation=SITUATIONS[2])


def _chunks(items: list[int], size: int = 900) -> list[list[int]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


# --- a department's file ----------------------------------------------------------------------

def _hospital_file(village: Area, approver: User) -> int:
    """Large out-of-pocket bills of a few households of the demo village, one of them
    already in dibao (suppressed), and two patients who are not in the registry."""
    heads = list(Person.objects.filter(
        area=village, relation="head", deceased_on__isnull=True, id_number__isnull=False,
        birth_date__gt=dt.date(1962, 1, 1), birth_date__lt=dt.date(2002, 1, 1))
        .filter(~Q(household__enrollments__program="dibao")).order_by("pk")[:3])
    dibao = Person.objects.filter(area=village, relation="head",
                                  household__enrollments__program="dibao").first()
    rows = [_bill(p.id_number or "", p.name, amount, f"2022-08-{10 + i:02d}")
            for i, (p, amount) in enumerate(zip(heads, ("88600", "76250.50", "69800"),
                                                strict=False))]
    if dibao is not None:
        rows.append(_bill(dibao.id_number or "", dibao.name, "31000", "2022-08-20"))
    for i, name in enumerate(("外县患者甲", "外县患者乙")):
        rows.append(_bill(idnumber.make("320721", dt.date(1975 + i, 3, 3), 11 + 2 * i), name,
                          "5200", "2022-08-25"))
    job = _import(approver, "medical", "东海县医保局-2022年8月住院结算.csv", rows)
    more = list(Person.objects.filter(area=village, deceased_on__isnull=True,
                                      id_number__isnull=False, disability_grade__isnull=True)
                .exclude(pk__in=[p.pk for p in heads]).order_by("-pk")[:1])
    cdpf = _import(approver, "disability", "东海县残联-2022年8月新办残疾证.csv", [
        {"id_number": p.id_number, "name": p.name, "certificate": f"{p.id_number}11",
         "category": "肢体", "grade": "一级", "issued_on": "2022-08-18"} for p in more])
    return job.new_rows + cdpf.new_rows


def _bill(id_number: str, name: str, amount: str, on: str) -> dict[str, Any]:
    return {"id_number": id_number, "name": name, "settled_on": on, "out_of_pocket": amount,
            "total_cost": str(round(float(amount) * 1.8, 2)), "hospital": "东海县人民医院",
            "diagnosis": "住院治疗"}


def _import(user: User, source: str, name: str, rows: list[dict[str, Any]]) -> SourceImport:
    buffer = io.StringIO()
    matching.write_csv_layout(layout(source), rows, buffer)
    upload = SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")
    job = jobs.start_import(Actor.of(user), source, upload)
    return imports.run_import(job.pk)  # at once: the queued task then finds it done


def _warnings_in_progress(village: Area, worker: User) -> None:
    """One warning verified (a referral), one late and escalated; the rest wait."""
    open_ = list(EarlyWarning.objects.filter(area=village, status=WarningStatus.OPEN)
                 .order_by("pk"))
    if len(open_) >= 2:
        services.verify_warning(Actor.of(worker), open_[0], Outcome.REFERRAL, {
            "department": "health_insurance", "subject": "大病医疗救助",
            "note": "已核实，住院自付费用高，转医保局申请医疗救助"})
        late = open_[1]
        late.raised_on = services.today() - dt.timedelta(days=30)
        late.due_on = services.today() - dt.timedelta(days=16)
        late.save(update_fields=["raised_on", "due_on"])
    warnings.escalate_late()
