"""Elderly ability assessment (GB/T 42195-2022 老年人能力评估规范): the 26 items, part
scores, total and grade. Pure: no Django models, no database.

Four parts: self-care (8 items, 0–32), basic motor ability (4 items, 0–15), mental state
(9 items, 0–28) and perception and social participation (5 items, 0–15); total 0–90.
Grade from the total: 0 intact (90), 1 mild (66–89), 2 moderate (46–65), 3 severe
(30–45), 4 complete loss (0–29). One grade worse (at most 4) with diagnosed dementia,
another psychiatric diagnosis, or 2+ care-risk events (fall, choking, self-harm,
wandering) in the last 30 days; a person in a coma (consciousness scored 0) is grade 4.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    code: str
    part: str
    label: Promise
    max_score: int


SELF_CARE, MOTOR, MENTAL, PERCEPTION = "self_care", "motor", "mental", "perception"
PARTS: dict[str, Promise] = {
    SELF_CARE: _("Self-care ability"),
    MOTOR: _("Basic motor ability"),
    MENTAL: _("Mental state"),
    PERCEPTION: _("Perception and social participation"),
}
PART_MAX = {SELF_CARE: 32, MOTOR: 15, MENTAL: 28, PERCEPTION: 15}
TOTAL_MAX = 90

ITEMS: tuple[Item, ...] = (
    Item("eating", SELF_CARE, _("Eating"), 4),
    Item("grooming", SELF_CARE, _("Grooming"), 4),
    Item("bathing", SELF_CARE, _("Bathing"), 4),
    Item("dressing_upper", SELF_CARE, _("Putting on / taking off upper clothes"), 4),
    Item("dressing_lower", SELF_CARE, _("Putting on / taking off trousers, shoes and socks"), 4),
    Item("urine", SELF_CARE, _("Urine control"), 4),
    Item("bowel", SELF_CARE, _("Bowel control"), 4),
    Item("toileting", SELF_CARE, _("Using the toilet"), 4),
    Item("bed_position", MOTOR, _("Changing position in bed"), 4),
    Item("bed_chair", MOTOR, _("Bed–chair transfer"), 4),
    Item("walking", MOTOR, _("Walking on level ground"), 4),
    Item("stairs", MOTOR, _("Going up and down stairs"), 3),
    Item("time_orientation", MENTAL, _("Orientation in time"), 4),
    Item("place_orientation", MENTAL, _("Orientation in place"), 4),
    Item("person_orientation", MENTAL, _("Orientation to persons"), 4),
    Item("memory", MENTAL, _("Memory"), 4),
    Item("understanding", MENTAL, _("Understanding"), 4),
    Item("expression", MENTAL, _("Expression"), 4),
    Item("aggression", MENTAL, _("Aggressive behaviour (1 = none)"), 1),
    Item("depression", MENTAL, _("Depressive symptoms (1 = none)"), 1),
    Item("consciousness", MENTAL, _("Level of consciousness (0 = coma)"), 2),
    Item("vision", PERCEPTION, _("Vision"), 2),
    Item("hearing", PERCEPTION, _("Hearing"), 2),
    Item("daily_affairs", PERCEPTION, _("Handling daily affairs"), 4),
    Item("transport", PERCEPTION, _("Going out by transport"), 3),
    Item("social", PERCEPTION, _("Social interaction"), 4),
)
ITEM_CODES = tuple(item.code for item in ITEMS)
BY_CODE = {item.code: item for item in ITEMS}

# (lowest total of the grade, grade), best grade first.
GRADE_FLOORS = ((90, 0), (66, 1), (46, 2), (30, 3), (0, 4))
GRADES: dict[int, Promise] = {
    0: _("0 – ability intact"), 1: _("1 – mild impairment"), 2: _("2 – moderate impairment"),
    3: _("3 – severe impairment"), 4: _("4 – complete loss of ability"),
}
RISK_EVENTS_THRESHOLD = 2
WORST = 4


class ScoreError(ValueError):
    """An item is missing or scored outside its range; ``field`` names the item."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Conditions:
    dementia: bool = False
    psychiatric: bool = False
    risk_events_30d: int = 0  # falls, choking, self-harm, wandering in the last 30 days

    @property
    def aggravating(self) -> bool:
        return self.dementia or self.psychiatric or self.risk_events_30d >= RISK_EVENTS_THRESHOLD


@dataclass(frozen=True)
class Result:
    parts: dict[str, int]
    total: int
    preliminary_grade: int  # from the total alone
    grade: int  # after the aggravating conditions and the coma rule
    reasons: tuple[str, ...]  # codes of the rules that changed the grade


def check_scores(scores: Mapping[str, int]) -> dict[str, int]:
    """Every item present, an integer in its range; ScoreError naming the first bad item."""
    clean: dict[str, int] = {}
    for item in ITEMS:
        value = scores.get(item.code)
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            raise ScoreError(item.code, f"{item.code}: missing or not a whole number")
        if not 0 <= value <= item.max_score:
            raise ScoreError(item.code, f"{item.code}: {value} not in 0–{item.max_score}")
        clean[item.code] = value
    unknown = set(scores) - set(ITEM_CODES)
    if unknown:
        code = sorted(unknown)[0]
        raise ScoreError(code, f"{code}: unknown item")
    return clean


def part_scores(scores: Mapping[str, int]) -> dict[str, int]:
    parts = dict.fromkeys(PARTS, 0)
    for item in ITEMS:
        parts[item.part] += scores[item.code]
    return parts


def grade_of_total(total: int) -> int:
    for floor, grade in GRADE_FLOORS:
        if total >= floor:
            return grade
    return WORST


def assess(scores: Mapping[str, int], conditions: Conditions = Conditions()) -> Result:
    """Part scores, total and grade of a complete form."""
    clean = check_scores(scores)
    parts = part_scores(clean)
    total = sum(parts.values())
    preliminary = grade_of_total(total)
    grade, reasons = preliminary, []
    if conditions.aggravating and grade < WORST:
        grade, reasons = grade + 1, ["aggravating"]
    if clean["consciousness"] == 0 and grade < WORST:
        grade, reasons = WORST, [*reasons, "coma"]
    return Result(parts, total, preliminary, grade, tuple(reasons))


def full_marks() -> dict[str, int]:
    """Every item at its best score (total 90): a starting point for forms and tests."""
    return {item.code: item.max_score for item in ITEMS}
