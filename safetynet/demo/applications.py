"""Applications in progress at the demo township's window, so that every demo login finds
something on its work list: new families registered through the registry's services and
moved through the single window's workflow by the demo staff."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.core import idnumber
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.intake.models import Application, Kind
from safetynet.intake.services import applications, referrals
from safetynet.registry import services as registry
from safetynet.registry.models import Household, Person

CHECK = {"sources": ["hukou", "tax", "social_insurance", "property", "vehicles", "bank",
                     "business"], "check_findings": "未发现房产、车辆、存款及工商登记"}
REVIEW = {"opinion": "经入户调查和信息核对，家庭人均收入低于低保标准，建议批准",
          "recommendation": "approve"}
SURNAMES = "孙钱周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = ("建国", "秀英", "桂兰", "玉梅", "志强", "海燕", "春生", "凤英", "德才", "小军")


def _visit(on: dt.date) -> dict[str, Any]:
    return {"visited_on": on, "investigator_1": "李强", "investigator_2": "陈刚",
            "findings": "房屋老旧，家中无稳定收入，主要劳动力患病", "both_signed": True}


def seed_applications(county_code: str, seed: int = 2022) -> int:
    """About a dozen applications at each step of the demo township's work; returns the
    number created. Does nothing when the demo township already has applications."""
    staff = {u.username: u for u in User.objects.filter(
        username__in=["clerk", "officer", "approver", "village"])}
    if len(staff) < 4:
        return 0
    village = _demo_village(staff["village"])
    if Application.objects.filter(area__code__startswith=village.code[:9]).exists():
        return 0
    rng = random.Random(seed)
    with transaction.atomic():
        plans = _plans(staff, timezone.localdate())
        for plan in plans:
            plan(_new_family(staff["clerk"], village, rng))
    return len(plans)


def _demo_village(village_user: User) -> Area:
    area = village_user.areas.first()
    if area is None:
        raise LookupError("the demo village worker has no village")
    return area


def _new_family(clerk: User, village: Area, rng: random.Random) -> Household:
    """A family that has just fallen on hard times: two adults, no income recorded."""
    born = dt.date(rng.randint(1950, 1975), rng.randint(1, 12), rng.randint(1, 28))
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    address = f"{village.name}{rng.randint(1, 9)}组"
    actor = Actor.of(clerk)
    household = registry.create_household(
        actor, {"area_code": village.code, "hukou": "rural", "address": address},
        {"name": name, "sex": "M", "birth_date": born,
         "id_number": _unused_id(village.code[:6], born, rng, male=True)})
    spouse_born = born + dt.timedelta(days=rng.randint(-900, 900))
    registry.add_person(actor, household, {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN), "sex": "F", "relation": "spouse",
        "birth_date": spouse_born,
        "id_number": _unused_id(village.code[:6], spouse_born, rng, male=False)})
    return household


def _unused_id(region: str, born: dt.date, rng: random.Random, male: bool) -> str:
    while True:
        sequence = rng.randint(250, 499) * 2 + (1 if male else 0)
        number = idnumber.make(region, born, sequence)
        if not Person.objects.filter(id_number=number).exists():
            return number


def _plans(staff: dict[str, User], today: dt.date) -> list[Callable[[Household], Any]]:
    clerk, officer = staff["clerk"], staff["officer"]
    long_ago = today - dt.timedelta(days=30)

    def create(household: Household, kind: str = Kind.DIBAO) -> Application:
        head = household.members.order_by("pk")[0]
        return applications.create_application(Actor.of(clerk), kind=kind, household=household,
                                               applicant=head, reason="家庭困难，申请救助")

    def to(app: Application, *steps: tuple[User, str, dict[str, Any]]) -> Application:
        for actor, action, data in steps:
            app = applications.take_action(Actor.of(actor), app, action, data)
        return app

    def received(h: Household) -> Any:
        return create(h)

    def checked(h: Household) -> Any:
        return to(create(h), (clerk, "accept", {}), (clerk, "check", CHECK))

    def visited(h: Household) -> Any:
        return to(create(h), (clerk, "accept", {}), (clerk, "check", CHECK),
                  (officer, "visit", _visit(today)))

    def notice_over(h: Household) -> Any:
        return to(create(h), (clerk, "accept", {}), (clerk, "check", CHECK),
                  (officer, "visit", _visit(long_ago)), (officer, "review", REVIEW),
                  (clerk, "post_notice", {"notice_start": long_ago,
                                           "backdate_reason": "演示数据：公示早已张贴"}))

    def at_county(h: Household) -> Any:
        return to(notice_over(h), (clerk, "close_notice", {}))

    def temporary(h: Household) -> Any:
        return to(create(h, Kind.TEMPORARY_EMERGENCY), (clerk, "accept", {}))

    def late(h: Household) -> Any:
        app = create(h)
        Application.objects.filter(pk=app.pk).update(due_on=today - dt.timedelta(days=4))
        return app

    def referred(h: Household) -> Any:
        return referrals.send_referral(Actor.of(clerk), h, {
            "department": "health_insurance", "subject": "大病医疗救助",
            "description": "户主住院治疗，自付费用较高，请医保局审核医疗救助"})

    return [received, received, late, checked, visited, visited, notice_over, at_county,
            at_county, temporary, referred]
