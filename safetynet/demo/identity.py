"""Names, ID numbers, phones, bank accounts and addresses of generated households."""

from __future__ import annotations

import random
from datetime import date

from safetynet.core import crypto, idnumber
from safetynet.demo import names
from safetynet.demo.people import weighted
from safetynet.demo.specs import AreaSpec, HouseholdSpec, PersonSpec

# Where people were first registered: mostly Donghai, some neighbours, some abolished codes
# (320721 Ganyu County and 320705 Xinpu District were abolished in 2014).
REGIONS = (("320722", 880), ("320721", 30), ("320705", 20), ("320706", 20), ("320707", 10),
           ("320723", 10), ("320724", 10), ("320703", 5), ("320381", 5), ("321322", 5),
           ("320382", 5))
ABOLISHED = {"320721": 2014, "320705": 2014}
MOBILE_PREFIXES = tuple(f"1{n}" for n in (
    30, 31, 32, 33, 35, 36, 37, 38, 39, 50, 51, 52, 55, 57, 58, 59, 66, 77, 78, 80, 81, 82,
    83, 86, 87, 88, 89, 98, 99))
BANKS = (("江苏东海农村商业银行", "623066", 40), ("中国农业银行东海县支行", "622848", 25),
         ("中国邮政储蓄银行东海县支行", "621799", 25), ("中国工商银行东海支行", "622202", 5),
         ("中国建设银行东海支行", "621700", 5))
BANK_WEIGHTS = tuple(float(b[2]) for b in BANKS)
# Share of households with a benefit card account on file, by group (the rest is missing).
BANK_SHARE = {"dibao": 0.96, "tekun": 0.97, "orphan": 0.95, "low_income": 0.7,
              "rigid_expenditure": 0.7}


class IdAllocator:
    """Unique, valid ID numbers: one per (region, birth date, sequence), none of those
    already registered (given by their blind indexes)."""

    def __init__(self, rng: random.Random, taken_indexes: set[str] | None = None) -> None:
        self.rng = rng
        self.taken: set[str] = set()
        self.taken_indexes = taken_indexes or set()
        self.codes = [c for c, _ in REGIONS]
        self.weights = tuple(w for _, w in REGIONS)

    def region(self, birth: date) -> str:
        code = weighted(self.rng, self.codes, self.weights)
        return "320722" if birth.year >= ABOLISHED.get(code, 9999) else code

    def new(self, birth: date, sex: str) -> str:
        region = self.region(birth)
        while True:
            # Sequence 001–999: odd for men, even for women.
            sequence = self.rng.randrange(1 if sex == "M" else 2, 1000, 2)
            value = idnumber.make(region, birth, sequence)
            if value not in self.taken and not self._registered(value):
                self.taken.add(value)
                return value

    def _registered(self, value: str) -> bool:
        return bool(self.taken_indexes) and crypto.blind_index(value) in self.taken_indexes


class Identities:
    """Gives every member a name, ID number and phone, every household an account."""

    def __init__(self, rng: random.Random, areas: list[AreaSpec],
                 taken_indexes: set[str] | None = None) -> None:
        self.rng = rng
        self.ids = IdAllocator(rng, taken_indexes)
        self.clans = {a.code: [names.surname(rng) for _ in range(2)] for a in areas}

    def fill(self, hh: HouseholdSpec) -> None:
        self.name_members(hh)
        for p in hh.members:
            p.id_number = self.ids.new(p.birth_date, p.sex)
            p.phone = self.mobile() if self.has_phone(p) else ""
        hh.phone = next((p.phone for p in hh.members if p.phone), "") or self.mobile()
        if self.rng.random() < BANK_SHARE.get(hh.group, 0.5):
            hh.bank_name, hh.bank_account = self.bank_account()

    def name_members(self, hh: HouseholdSpec) -> None:
        """Children take the family surname (the man's); spouses and in-laws their own."""
        family = self.surname(hh.area_code)
        head = hh.members[0]
        husband = next((p for p in hh.members if p.relation == "spouse" and p.sex == "M"), None)
        head_surname = family if head.sex == "M" or husband is None else names.surname(self.rng)
        for p in hh.members:
            p.name = self.surname_of(p, family, head_surname) + names.given_name(
                self.rng, p.sex, p.birth_date.year)

    def surname_of(self, p: PersonSpec, family: str, head_surname: str) -> str:
        if p.relation == "head" or (p.relation in ("parent", "sibling") and p.sex == "M"):
            return head_surname
        if p.relation in ("child", "grandchild") or (p.relation == "spouse" and p.sex == "M"):
            return family
        return names.surname(self.rng)

    def surname(self, area_code: str) -> str:
        """Villages have a couple of big clans."""
        if self.rng.random() < 0.4:
            return self.rng.choice(self.clans[area_code])
        return names.surname(self.rng)

    def has_phone(self, p: PersonSpec) -> bool:
        age = p.age
        share = 0.0 if age < 14 else 0.85 if age < 70 else 0.35 if age < 80 else 0.1
        return self.rng.random() < share

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def bank_account(self) -> tuple[str, str]:
        name, bin_, _weight = weighted(self.rng, BANKS, BANK_WEIGHTS)
        body = f"{bin_}{self.rng.randrange(10**12):012d}"
        return name, body + luhn_digit(body)


def luhn_digit(body: str) -> str:
    """The check digit that makes ``body`` + digit pass the Luhn test (bank cards)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


class Addresses:
    """Household numbers (area code + 5-digit sequence) and street addresses."""

    def __init__(self, rng: random.Random, areas: list[AreaSpec],
                 last_numbers: dict[str, int] | None = None) -> None:
        self.rng = rng
        self.names = {a.code: a.name for a in areas}
        self.sequence = dict(last_numbers or {})

    def fill(self, hh: HouseholdSpec) -> None:
        code = hh.area_code
        self.sequence[code] = self.sequence.get(code, 0) + 1
        hh.number = f"{code}{self.sequence[code]:05d}"
        hh.address = self.address(code)

    def address(self, code: str) -> str:
        name, r = self.names[code], self.rng
        if name.endswith("社区"):
            return (f"{name}{r.randint(1, 36)}号楼{r.randint(1, 3)}单元"
                    f"{r.randint(1, 6)}0{r.randint(1, 2)}室")
        return f"{name}{r.randint(1, 12)}组{r.randint(1, 80)}号"
