"""Demo data of the eldercare app, for the demo township (the first one), August 2022:

* two home-care providers with contracts and prices: one serving the whole township, one
  serving its first three villages; the ``provider`` login records for the first, a few
  generated workers (no password) for both;
* the month's orders from the rules (everyone 80+ and the supported elderly) and visits:
  most months delivered, some with no visit, too short, worth too little or unconfirmed,
  and a few implausible records (two places at once, check-out before check-in);
* two institutions with residents, an age-friendly modification programme with plans in
  every state, and the two insurance policies with their rosters.

Everything is written in bulk, so it takes seconds. Does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.models import Area
from safetynet.eldercare import compliance, insurance, roster, services
from safetynet.eldercare.ability import ITEMS, assess, full_marks
from safetynet.eldercare.catalogue import BY_CODE, prices
from safetynet.eldercare.models import (
    Assessment,
    Beds,
    Contract,
    Institution,
    InsurancePolicy,
    ModificationPlan,
    PlanItem,
    PlanStatus,
    Provider,
    ProviderStaff,
    ServiceOrder,
    Stay,
    Visit,
    VisitItem,
)
from safetynet.registry.models import Household, Person

AUGUST = dt.date(2022, 8, 1)
ORDERS_PER_WORKER = 40
PRICES = {"meals": Decimal("10"), "bathing": Decimal("30"), "cleaning": Decimal("20"),
          "medical": Decimal("25"), "shopping": Decimal("5")}
SLOTS = ((8, 30), (10, 30), (14, 30))
# What happens to the n-th order of a worker (cycled): minutes, items, confirmed
PATTERN: list[tuple[int, dict[str, int], bool] | None] = [
    (75, {"cleaning": 1, "meals": 1}, True),
    (90, {"bathing": 1, "cleaning": 1}, True),
    (65, {"cleaning": 1, "meals": 1}, True),
    None,  # no visit
    (120, {"bathing": 2, "cleaning": 2}, True),
    (50, {"cleaning": 1, "meals": 1}, True),  # too short
    (70, {"medical": 1, "meals": 1}, True),
    (80, {"cleaning": 1, "shopping": 1}, True),  # 25 yuan: too little for 30
    (60, {"cleaning": 1, "meals": 1}, True),
    (95, {"bathing": 1, "meals": 1}, False),  # not confirmed
    (85, {"cleaning": 2, "meals": 1}, True),
    (100, {"bathing": 2, "medical": 2}, True),
    *[(60 + 5 * n, {"cleaning": 1, "meals": 1 + n % 2}, True) for n in range(12)],
]


def seed(county_code: str) -> int:
    """Create the demo records; return how many. Does nothing the second time."""
    if Provider.objects.exists():
        return 0
    township = Area.objects.filter(parent__code=county_code).order_by("code").first()
    if township is None:
        return 0
    villages = list(Area.objects.filter(parent=township).order_by("code")[:3])
    with transaction.atomic():
        providers = _providers(township, villages)
        count = len(providers) + _orders_and_visits(township, providers)
        count += _institutions(township) + _plans(township) + _policies(county_code)
        count += _assessments(township)
    return count


def _providers(township: Area, villages: list[Area]) -> list[Provider]:
    first = Provider.objects.create(name="东海县康乐居家养老服务中心",
                                    credit_code="52320722MJ0000101A", contact_person="孙伟",
                                    address="东海县牛山街道和平路18号")
    second = Provider.objects.create(name="东海县惠民为老服务社",
                                     credit_code="52320722MJ0000202B", contact_person="钱红",
                                     address="东海县牛山街道青松路6号")
    for number, provider, areas in (("DHMZ-JJ-2022-01", first, [township]),
                                    ("DHMZ-JJ-2022-02", second, villages)):
        contract = Contract.objects.create(provider=provider, number=number,
                                           starts_on=dt.date(2022, 1, 1),
                                           ends_on=dt.date(2022, 12, 31))
        contract.areas.set(areas)
        contract.prices.bulk_create(contract.prices.model(contract=contract, item=k, price=v)  # type: ignore[misc]
                                    for k, v in PRICES.items())
    login = User.objects.filter(username="provider").first()
    if login is not None:
        ProviderStaff.objects.create(user=login, provider=first)
    return [first, second]


def _workers(provider: Provider, needed: int, index: int) -> list[User]:
    workers = [s.user for s in provider.staff.select_related("user")]
    county = Area.objects.filter(level="county").order_by("code").first()
    for n in range(len(workers), needed):
        user = User(username=f"hcw{index}{n:02d}", role=Role.PROVIDER,
                    display_name=f"护理员{index}-{n:02d}", must_change_password=True)
        user.set_unusable_password()
        user.save()
        if county is not None:
            user.areas.set([county])
        ProviderStaff.objects.create(user=user, provider=provider)
        workers.append(user)
    return workers


def _orders_and_visits(township: Area, providers: list[Provider]) -> int:
    run = services.generate_orders(None, month=AUGUST, area_code=township.code)
    count = run.created
    for index, provider in enumerate(providers, start=1):
        orders = list(ServiceOrder.objects.filter(month=AUGUST, provider=provider)
                      .order_by("area_id", "pk"))
        workers = _workers(provider, -(-len(orders) // ORDERS_PER_WORKER), index)
        count += _visits(orders, workers)
    return count


def _visits(orders: list[ServiceOrder], workers: list[User]) -> int:
    if not orders:
        return 0
    limits = roster.thresholds(orders[0].area_id, AUGUST)
    visits: list[Visit] = []
    items: list[tuple[int, dict[str, int]]] = []
    for n, order in enumerate(orders):
        worker = workers[n // ORDERS_PER_WORKER]
        k = n % ORDERS_PER_WORKER
        plan = PATTERN[(n + n // ORDERS_PER_WORKER) % len(PATTERN)]
        if plan is None:
            continue
        minutes, chosen, confirmed = plan
        if order.entitlement >= 100 and minutes >= 60:
            chosen = {"bathing": 2, "cleaning": 2}  # the supported elderly: 100 yuan a month
        hour, minute = SLOTS[k % len(SLOTS)]
        start = timezone.make_aware(dt.datetime(2022, 8, 1 + k // len(SLOTS), hour, minute))
        end = start + dt.timedelta(minutes=minutes)
        if k == 1 and n < ORDERS_PER_WORKER:  # the first worker: in two homes at once
            start = start.replace(hour=SLOTS[0][0], minute=SLOTS[0][1] + 20)
        if k == 4 and n < ORDERS_PER_WORKER:  # check-out before check-in
            end = start - dt.timedelta(minutes=30)
        visits.append(Visit(  # type: ignore[misc]
            order=order, worker=worker, started_at=start, ended_at=end,
            value=sum((PRICES[i] * q for i, q in chosen.items()), Decimal("0.00")),
            notes="打扫卫生，测量血压" if n % 2 else "助餐送餐，陪同聊天",
            confirmation="family" if confirmed and n % 3 == 0 else "self" if confirmed
            else "none", confirmer_name=("家属" if n % 3 == 0 else "本人") if confirmed else "",
            flags=compliance.duration_flags(timezone.localtime(start), timezone.localtime(end),
                                            AUGUST, limits)))
        items.append((len(visits) - 1, chosen))
    _mark_overlaps(visits)
    Visit.objects.bulk_create(visits, batch_size=2000)
    VisitItem.objects.bulk_create(
        [VisitItem(visit=visits[i], item=item, quantity=q, unit_price=PRICES[item],  # type: ignore[misc]
                   amount=PRICES[item] * q) for i, chosen in items for item, q in chosen.items()],
        batch_size=5000)
    return len(visits)


def _mark_overlaps(visits: list[Visit]) -> None:
    facts = [compliance.VisitFacts(i, v.worker_id, v.order.person_id, v.started_at,
                                   v.ended_at, v.value, True) for i, v in enumerate(visits)]
    for i in compliance.overlapping(facts):
        visits[i].flags = [*visits[i].flags, compliance.OVERLAP]


def _elderly(township: Area, limit: int) -> list[Person]:
    """The township's last-registered elderly (the first ones carry the home-care demo)."""
    return list(Person.objects.filter(area__code__startswith=township.code,
                                      deceased_on__isnull=True,
                                      birth_date__lte=dt.date(1947, 1, 1))
                .order_by("-pk")[:limit])


def _institutions(township: Area) -> int:
    centre = Institution.objects.create(name="东海县牛山区域性养老服务中心", kind="regional",
                                        area=township, reserved_beds=30, day_care_places=20,
                                        address="东海县牛山街道健康路1号")
    home = Institution.objects.create(name="东海县白塔敬老院", kind="welfare_home",
                                      area=township, reserved_beds=20,
                                      address="东海县白塔埠镇敬老路2号")
    Beds.objects.bulk_create([Beds(institution=centre, bed_type="nursing", count=60),
                              Beds(institution=centre, bed_type="ordinary", count=60),
                              Beds(institution=home, bed_type="ordinary", count=40)])
    people = _elderly(township, 60)
    kinds = ["tekun"] * 25 + ["social"] * 20 + ["day_care"] * 10 + ["rehab"] * 5
    stays = []
    for n, (person, kind) in enumerate(zip(people, kinds, strict=False)):
        where = centre if n % 3 else home
        admitted = dt.date(2021, 1 + n % 12, 1 + n % 27)
        discharged = dt.date(2022, 3, 15) if n % 17 == 5 else None
        stays.append(Stay(institution=where, person=person, area_id=person.area_id, kind=kind,
                          bed_type="nursing" if kind in ("tekun", "social") and n % 2 else
                          "ordinary" if kind in ("tekun", "social") else "",
                          admitted_on=admitted, discharged_on=discharged,
                          discharge_reason="回家居住" if discharged else ""))
    Stay.objects.bulk_create(stays)
    return 2 + len(stays)


CATALOGUE_PICKS = [{"anti_slip": 12, "grab_bars": 2, "shower_chair": 1, "night_light": 3},
                   {"level_fix": 2, "bedside_rail": 1, "walking_stick": 1, "care_bed": 1},
                   {"anti_slip": 8, "grab_bars": 3, "raised_toilet_seat": 1,
                    "emergency_call": 1}]


def _plans(township: Area) -> int:
    officer = User.objects.filter(username="officer").first()
    if officer is None:
        return 0
    homes = list(Household.objects.filter(area__code__startswith=township.code, active=True,
                                          members__birth_date__lte=dt.date(1942, 1, 1))
                 .distinct().order_by("pk")[:24])
    states = [PlanStatus.DONE] * 14 + [PlanStatus.IN_WORK] * 6 + [PlanStatus.PLANNED] * 4
    count = 0
    for n, (home, state) in enumerate(zip(homes, states, strict=False)):
        person = home.members.filter(birth_date__lte=dt.date(1942, 1, 1)).order_by(
            "birth_date").first()
        if person is None:
            continue
        picks = CATALOGUE_PICKS[n % len(CATALOGUE_PICKS)]
        price = prices(home.area_id, AUGUST)
        lines = [PlanItem(code=c, quantity=q, unit_price=price[c],  # type: ignore[misc]
                          amount=price[c] * q, government_paid=BY_CODE[c].basic)
                 for c, q in picks.items()]
        plan = ModificationPlan.objects.create(  # type: ignore[misc]
            household=home, person=person, area_id=home.area_id, year=2022, status=state,
            eligibility=f"{person.age_on(AUGUST)} 周岁（演示数据）",
            contractor="" if state == PlanStatus.PLANNED else "东海县安居装饰工程有限公司",
            government_cost=sum((x.amount for x in lines if x.government_paid), Decimal(0)),
            own_cost=sum((x.amount for x in lines if not x.government_paid), Decimal(0)),
            started_on=None if state == PlanStatus.PLANNED else dt.date(2022, 6, 1 + n),
            accepted_on=dt.date(2022, 7, 1 + n) if state == PlanStatus.DONE else None,
            acceptance_note="按方案完成，老人满意" if state == PlanStatus.DONE else "",
            created_by=officer, accepted_by=officer if state == PlanStatus.DONE else None)
        for line in lines:
            line.plan = plan
        PlanItem.objects.bulk_create(lines)
        count += 1
    return count


def _policies(county_code: str) -> int:
    county = Area.objects.get(code=county_code)
    accident = InsurancePolicy.objects.create(  # type: ignore[misc]
        kind="accident", insurer="中国人寿财险东海支公司", number="DH-YW-2022-001",
        starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2022, 12, 31), premium=Decimal("50"),
        area=county)
    liability = InsurancePolicy.objects.create(  # type: ignore[misc]
        kind="liability", insurer="中国人保财险东海支公司", number="DH-ZR-2022-001",
        starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2022, 12, 31), premium=Decimal("100"),
        area=county)
    return (insurance.fill_roster(None, accident, on=dt.date(2022, 1, 1))
            + insurance.fill_roster(None, liability, on=dt.date(2022, 1, 1)))


GRADE_TOTALS = {0: 90, 1: 75, 2: 55, 3: 38, 4: 20}


def scores_for(total: int) -> dict[str, int]:
    """A plausible form with the given total: items lowered one point at a time, motor and
    self-care first (as abilities are usually lost)."""
    scores, deficit = full_marks(), 90 - total
    order = sorted(ITEMS, key=lambda i: ("motor", "self_care", "perception", "mental").index(
        i.part))
    while deficit > 0:
        for item in order:
            if deficit and scores[item.code] > (1 if item.code == "consciousness" else 0):
                scores[item.code] -= 1
                deficit -= 1
    return scores


def _assessments(township: Area) -> int:
    """Forms for the elderly whose registry record has a grade, a year and a half ago (so
    their reassessment is due), with scores that give that grade."""
    assessor = User.objects.filter(username="officer").first()
    if assessor is None:
        return 0
    people = Person.objects.filter(area__code__startswith=township.code,
                                   deceased_on__isnull=True, ability_grade__isnull=False,
                                   birth_date__lte=dt.date(1955, 1, 1)).order_by("pk")[:40]
    rows = []
    for n, person in enumerate(people):
        grade = min(4, int(person.ability_grade or 0))
        result = assess(scores_for(GRADE_TOTALS[grade]))
        on = dt.date(2021, 3 + n % 9, 1 + n % 27)
        rows.append(Assessment(
            person=person, area_id=person.area_id, assessed_on=on, assessor=assessor,
            scores=scores_for(GRADE_TOTALS[grade]), self_care_score=result.parts["self_care"],
            motor_score=result.parts["motor"], mental_score=result.parts["mental"],
            perception_score=result.parts["perception"], total=result.total,
            preliminary_grade=result.preliminary_grade, grade=result.grade,
            next_due=on.replace(year=on.year + 1)))
    Assessment.objects.bulk_create(rows)
    return len(rows)
