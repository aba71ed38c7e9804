"""Demo data of the children app: registered children in the demo township's first
villages (left-behind children, an orphan, a child without a de facto carer, children in
difficulty), some guardianship confirmations missing, some visits overdue, and hotline
cases. Uses the demo county's own persons under 16; a few dozen rows, so it stays fast."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.children import rules
from safetynet.children.categories import derive, facts_of, limits_for, visit_months
from safetynet.children.models import (
    CaseKind,
    CaseState,
    CaseStep,
    ChildProfile,
    GuardianshipConfirmation,
    HotlineCase,
    Visit,
    join_codes,
)
from safetynet.children.services.registry import refresh
from safetynet.core import idnumber
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.core.workdays import add_working_days
from safetynet.registry import services as registry
from safetynet.registry.models import Person

VILLAGES = 3
PER_VILLAGE = 8
# (father, mother, poverty, improper guardianship): cycled over the children of a village
FACTS = [
    ("migrant", "migrant", False, False),
    ("migrant", "migrant", True, False),
    ("migrant", "disabled", False, False),
    ("deceased", "deceased", False, False),
    ("migrant", "migrant", False, False),
    ("imprisoned", "missing", False, False),
    ("at_home", "at_home", True, False),
    ("migrant", "ill", False, True),
]
PARENT_WHERE = "江苏省苏州市"


def seed(county_code: str) -> int:
    """Create the demo records; return how many. Does nothing the second time."""
    if ChildProfile.objects.filter(area__code__startswith=county_code).exists():
        return 0
    director = User.objects.filter(username="childdir").first()
    if director is None:
        return 0
    township = Area.objects.filter(parent__code=county_code).order_by("code").first()
    if township is None:
        return 0
    villages = Area.objects.filter(parent=township, code__gte=f"{township.code}200").order_by(
        "code")[:VILLAGES]
    created = 0
    with transaction.atomic():
        for index, village in enumerate(villages):
            created += _village(village, director, index)
        created += _cases(villages[0] if villages else None, director)
        created += register_county(county_code, director)
    return created


# --- the county's register of left-behind children, spring 2022 ---------------------------
# Donghai's 2022 "joint guardianship" action registered every rural left-behind child,
# insured 4,000+ of them and had every family sign a delegated-guardianship confirmation.
REGISTERED_FROM, REGISTER_DAYS = dt.date(2022, 2, 7), 60
INSURED_SHARE, SIGNED_SHARE = 0.97, 0.99


def register_county(county_code: str, director: Any, seed: int = 2022) -> int:
    """Every rural child under 16 whose parents both work away (or one works away and the
    other cannot care): a profile registered in February–April 2022 with the categories
    the rules derive, most insured and with a signed confirmation. Children already
    registered are left alone."""
    rng, on, today = random.Random(seed), REGISTERED_FROM, timezone.localdate()
    limits = limits_for(county_code, on)
    intervals = rules.visit_intervals(county_code, on)
    profiles = []
    for person, mother in _left_behind(county_code, on):
        registered = on + dt.timedelta(days=rng.randrange(REGISTER_DAYS))
        child = ChildProfile(
            person=person, area_id=person.area_id, created_by=director,
            father_status="migrant", mother_status=mother, father_whereabouts=PARENT_WHERE,
            mother_whereabouts=PARENT_WHERE if mother == "migrant" else "",
            carer_name="祖母", carer_relation="祖辈", insured=rng.random() < INSURED_SHARE,
            registered_on=registered, last_visit_on=today - dt.timedelta(days=rng.randrange(80)))
        if rng.random() < SIGNED_SHARE:
            child.guardianship_signed_on = registered + dt.timedelta(days=rng.randrange(10, 90))
        codes = list(derive(facts_of(child, on), limits))
        child.categories, child.active = join_codes(codes), bool(codes)
        months = visit_months(codes, intervals)
        child.next_visit_due = (rules.add_months(child.last_visit_on, months)
                                if months and child.last_visit_on else None)
        profiles.append(child)
    with transaction.atomic():
        ChildProfile.objects.bulk_create(profiles, batch_size=2000)
        GuardianshipConfirmation.objects.bulk_create([
            GuardianshipConfirmation(
                child=c, signed_on=c.guardianship_signed_on, signed_by="孩子父亲",
                signer_relation="父亲", guardian_name=c.carer_name, guardian_relation="祖辈",
                recorded_by=director) for c in profiles if c.guardianship_signed_on],
            batch_size=2000)
    return len(profiles)


def _left_behind(county_code: str, on: dt.date) -> list[tuple[Person, str]]:
    """(child, the mother's status) of the county's rural left-behind children."""
    parents: dict[int, dict[str, str]] = {}
    for household, relation, employment in Person.objects.filter(
            area__code__startswith=county_code, household__hukou="rural",
            relation__in=["head", "spouse"], deceased_on__isnull=True).values_list(
            "household_id", "relation", "employment"):
        parents.setdefault(household, {})[relation] = employment
    away = {h: p["spouse"] for h, p in parents.items() if p.get("head") == "migrant"
            and p.get("spouse") in ("migrant", "unable")}
    known = set(ChildProfile.objects.values_list("person_id", flat=True))
    children = Person.objects.filter(
        area__code__startswith=county_code, relation="child", household_id__in=list(away),
        deceased_on__isnull=True, birth_date__gt=rules.birthday_threshold(on, 16)
    ).select_related("household").order_by("pk")
    return [(c, "migrant" if away[c.household_id] == "migrant" else "disabled")
            for c in children if c.pk not in known]


def _children(village: Area, on: dt.date) -> list[Person]:
    youngest_16 = rules.birthday_threshold(on, 16)
    return list(Person.objects.filter(
        area=village, household__hukou="rural", deceased_on__isnull=True,
        birth_date__gt=youngest_16, birth_date__lt=rules.birthday_threshold(on, 3))
        .select_related("household").order_by("pk")[:PER_VILLAGE])


def _add_grandchildren(village: Area, director: Any, on: dt.date, missing: int) -> None:
    """A small generated county may have few children in the demo village: add
    grandchildren to its rural households (through the registry, with valid ID numbers)."""
    homes = list(village.households.filter(hukou="rural", active=True).order_by("pk")[:missing])
    actor = Actor.of(director)
    for n, home in enumerate(homes):
        birth = dt.date(on.year - 6 - n % 9, 1 + n % 12, 1 + n % 28)
        for sequence in range(990 - 2 * n, 0, -40):
            number = idnumber.make(village.code[:6], birth, sequence)
            if not Person.objects.filter(id_number=number).exists():
                break
        registry.add_person(actor, home, {"name": f"{NAMES[n % len(NAMES)]}",
                                          "id_number": number, "relation": "grandchild"})


NAMES = ["王子涵", "李欣怡", "张浩然", "刘梓萱", "陈宇轩", "杨雨桐", "赵一鸣", "孙思琪"]


def _village(village: Area, director: Any, index: int) -> int:
    on = timezone.localdate()
    count = 0
    found = _children(village, on)
    if index == 0 and len(found) < PER_VILLAGE:
        _add_grandchildren(village, director, on, PER_VILLAGE - len(found))
        found = _children(village, on)
    for n, person in enumerate(found):
        father, mother, poverty, improper = FACTS[n % len(FACTS)]
        child = ChildProfile(
            person=person, area=village, created_by=director, father_status=father,
            mother_status=mother, poverty=poverty, improper_guardianship=improper,
            father_whereabouts=PARENT_WHERE if father == "migrant" else "",
            mother_whereabouts=PARENT_WHERE if mother == "migrant" else "",
            carer_name="祖母" if n % 3 else "祖父", carer_relation="祖辈",
            school="东海县实验小学", risk="medium" if improper else "low",
            risk_reasons="监护人身体不好，孩子经常独自在家" if improper else "",
            insured=n % 2 == 0, registered_on=on - dt.timedelta(days=150))
        visited = (n + index) % 3 == 0  # a third visited recently, the rest overdue
        child.last_visit_on = on - dt.timedelta(days=20) if visited else None
        refresh(child, on)
        child.save()
        count += 1 + _records(child, director, visited, signed=(n + index) % 4 != 1)
    return count


def _records(child: ChildProfile, director: Any, visited: bool, signed: bool) -> int:
    count = 0
    if visited and child.last_visit_on:
        Visit.objects.create(child=child, visitor=director, visited_on=child.last_visit_on,
                             present="本人、祖母", findings="学习生活正常，身体健康",
                             follow_up="下季度再访")
        count += 1
    if signed and child.active:
        signed_on = child.registered_on + dt.timedelta(days=10)
        GuardianshipConfirmation.objects.create(
            child=child, signed_on=signed_on, signed_by="孩子父亲", signer_relation="父亲",
            guardian_name=child.carer_name, guardian_relation="祖辈", recorded_by=director)
        ChildProfile.objects.filter(pk=child.pk).update(guardianship_signed_on=signed_on)
        count += 1
    return count


def _cases(village: Area | None, director: Any) -> int:
    if village is None:
        return 0
    now = timezone.now()
    today = timezone.localdate()
    complaint = HotlineCase.objects.create(
        number=f"RX{today:%Y%m%d}DEMO01", received_at=now - dt.timedelta(days=9),
        caller_name="邻居", child_name="小军", child_age=9, area=village,
        what_happened="孩子父母在外务工，祖母生病住院，孩子已三天独自在家",
        kind=CaseKind.HARDSHIP, urgency="urgent", department="civil_affairs",
        due_on=add_working_days(today - dt.timedelta(days=9), 5), escalation_level=1,
        escalated_on=today, responsible=director, created_by=director)
    advice = HotlineCase.objects.create(
        number=f"RX{today:%Y%m%d}DEMO02", received_at=now - dt.timedelta(days=2),
        caller_name="家长", child_name="小芳", child_age=12, area=village,
        what_happened="咨询孤儿基本生活费如何申请", kind=CaseKind.ADVICE,
        state=CaseState.CLOSED, outcome="告知向村儿童主任提出申请，由乡镇窗口受理",
        closed_at=now - dt.timedelta(days=2), responsible=director, created_by=director)
    for case in (complaint, advice):
        CaseStep.objects.create(case=case, action="open", actor=director, note=case.outcome)
    return 2
