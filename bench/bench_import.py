"""Benchmark of the Excel import: full validation against reading the file alone.

    python bench/bench_import.py [--rows 100000] [--existing 100000]

Uses a fresh SQLite file in a temporary folder, or, with DATABASE_URL set to PostgreSQL,
a fresh test database on that server (dropped afterwards). Generates ``--rows`` valid
person rows (about 2.5 per household) in the template layout, with ``--existing`` other
persons already registered, then times

  (a) reading the file with python-calamine into rows,
  (b) full validation: reading plus every check the importer makes (cells, ID check
      characters, households and heads, duplicates in the file and in the database,
      villages of the user),
  (c) writing the rows (bulk inserts with history rows, one transaction),

and prints (a), (b), the ratio b / a (target: at most 5) and (c).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COUNTY = "320722"
TOWNSHIPS = [f"{COUNTY}{n:03d}" for n in (1, 2, 100, 101, 102, 200, 201, 202)]
VILLAGES = [f"{t}{n:03d}" for t in TOWNSHIPS for n in (*range(1, 6), *range(200, 240))]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文"
RELATIONS = ["配偶", "子女", "子女", "父母", "孙子女"]
SIZES = [1, 2, 2, 3, 3, 3, 4]  # mean 2.57 persons per household


def setup(folder: str) -> Any:
    """Configure Django for a fresh database; return the connection."""
    os.environ["SAFETYNET_ENV"] = "test"
    os.environ.setdefault("SAFETYNET_VAR_DIR", folder)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    return connection


def make_areas_and_user() -> Any:
    from safetynet.accounts.models import User
    from safetynet.core.models import Area

    Area.objects.create(code=COUNTY, name="东海县")
    Area.objects.bulk_create([Area(code=c, name=f"镇{c[-3:]}", level="township",
                                   parent_id=COUNTY) for c in TOWNSHIPS])
    Area.objects.bulk_create([Area(code=c, name=f"村{c[-3:]}", level="village",
                                   parent_id=c[:9]) for c in VILLAGES])
    user = User.objects.create_user(username="bench", password="Bench-pass-2022", role="clerk")
    user.areas.set([COUNTY])
    return user


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def id_numbers(region: str, count: int) -> Iterator[str]:
    from safetynet.core import idnumber

    for i in range(count):
        birth = date(1935, 1, 1) + timedelta(days=i % 30000)
        yield idnumber.make(region, birth, i // 30000)


def register_existing(count: int, user: Any) -> None:
    """Persons already in the registry (other ID numbers), written without history."""
    from safetynet.registry.models import Household, Person

    rng = random.Random(2)
    households = Household.objects.bulk_create([
        Household(number=f"{VILLAGES[i % len(VILLAGES)]}{90000 + i // len(VILLAGES):05d}",
                  area_id=VILLAGES[i % len(VILLAGES)], hukou="rural", address="老地址")
        for i in range(count // 2)], batch_size=5000)
    Person.objects.bulk_create([
        Person(household=households[i // 2], area_id=households[i // 2].area_id,
               name=name(rng), id_number=number, sex="M" if int(number[16]) % 2 else "F",
               birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
               relation="head" if i % 2 == 0 else "spouse")
        for i, number in enumerate(id_numbers("320721", count - count % 2))], batch_size=5000)


def rows(count: int) -> Iterator[list[Any]]:
    """Valid person rows in the template's column order, household after household."""
    from safetynet.registry import excel

    rng = random.Random(1)
    ids = id_numbers(COUNTY, count)
    made, key = 0, 0
    while made < count:
        key += 1
        size = min(rng.choice(SIZES), count - made)
        household = {"household_key": f"H{key}", "area_code": rng.choice(VILLAGES),
                     "hukou": rng.choice(("农村", "城镇")), "address": f"{key}号",
                     "household_phone": f"139{key:08d}", "bank_name": "农商银行",
                     "bank_account": f"62284800{key:010d}"}
        for member in range(size):
            number = next(ids)
            values = {**household, "name": name(rng), "id_number": number,
                      "relation": "户主" if member == 0 else rng.choice(RELATIONS),
                      "sex": "男" if int(number[16]) % 2 else "女",
                      "birth_date": date(int(number[6:10]), int(number[10:12]),
                                         int(number[12:14])),
                      "marital_status": rng.choice(("已婚", "未婚", "丧偶")),
                      "income_farming": rng.choice((0, 300, 650.5, 1200))}
            yield [values.get(column.key) or None for column in excel.COLUMNS]
        made += size


def read_only(path: Path) -> list[list[Any]]:
    """Just python-calamine: the first sheet into a list of rows of Python values."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(path)
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def timed(label: str, action: Any) -> tuple[float, float, Any]:
    """Run ``action``; print and return its wall-clock and CPU seconds, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<40} {wall:8.2f} s wall {cpu:8.2f} s CPU", flush=True)
    return wall, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        connection = setup(folder)
        try:
            run(args, Path(folder), connection.vendor)
        finally:
            if connection.vendor == "postgresql":
                connection.creation.destroy_test_db(
                    connection.settings_dict["NAME"], verbosity=0)


def run(args: argparse.Namespace, folder: Path, vendor: str) -> None:
    from safetynet.core.actor import Actor
    from safetynet.registry import excel, imports
    from safetynet.registry.models_imports import ImportMode

    user = make_areas_and_user()
    actor = Actor.of(user)
    timed(f"registering {args.existing:,} existing persons", lambda: register_existing(
        args.existing, user))
    path = folder / "import.xlsx"
    timed(f"generating {args.rows:,} rows", lambda: excel.write_rows(path, rows(args.rows)))
    print(f"database: {vendor}; file: {path.stat().st_size / 1e6:.1f} MB")
    reads = [timed("(a) read with python-calamine", lambda: read_only(path)) for _ in range(3)]
    checks = [timed("(b) read + full validation", lambda: imports.check_file(path, actor))
              for _ in range(2)]
    plan = checks[-1][2]
    assert not plan.errors, plan.errors[:5]
    print(f"    {plan.total_rows:,} rows, {len(plan.households):,} households, no errors")
    for kind, i in (("wall-clock", 0), ("CPU", 1)):
        read, check = min(r[i] for r in reads), min(c[i] for c in checks)
        print(f"ratio (b) / (a), best of each, {kind}: {check / read:.2f}  (target <= 5)")
    write, _cpu, written = timed("(c) write (bulk, with history)", lambda: imports.write(
        plan.importable(ImportMode.ALL_OR_NOTHING), actor))
    print(f"    {written.households:,} households and {written.persons:,} persons written; "
          f"{written.persons / write:,.0f} persons/s")


if __name__ == "__main__":
    main()
