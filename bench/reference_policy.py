"""An independent reference of the paying programmes, written from DOMAIN.md §4 alone.

It shares nothing with ``safetynet.policy`` but the parameter files (read through
``load_parameters`` and ``Parameter.for_area``): its own decoding of the input frames,
its own age on a date, its own eligibility, written as Polars expressions over the person
and household frames. ``bench_policy.py`` and ``tests/policy/test_reference.py`` compare
its totals per programme (count of paid rows and sum of monthly amounts) with
``evaluate``; a difference is a rule implemented twice in two different ways.

Amounts are whole yuan per month, rounded half up from exact fen.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from safetynet.policy.params import FEN, RATIO_SCALE, ParameterSet, load_parameters

Totals = dict[str, tuple[int, int]]  # programme -> (paid rows, yuan per month)


def reference_totals(
    persons: pl.DataFrame, households: pl.DataFrame, on: dt.date,
    params: ParameterSet | None = None,
) -> Totals:
    """Rows paid and yuan per month of every paying programme on ``on``."""
    params = params or load_parameters()
    hh = _households(households, params, on)
    p = _persons(persons, on).join(hh, left_on="household_id", right_on="id", how="left")
    p = _tekun_and_orphans(p)
    hh, p = _dibao(hh, p)
    amounts = _person_amounts(p)
    household, single = _total(hh["dibao"]), _total(p["dibao_single"])
    # Single-person inclusion is paid as dibao (one row per person enrolled alone).
    totals = {"dibao": (household[0] + single[0], household[1] + single[1])}
    totals.update({name: _total(amounts[name]) for name in amounts.columns})
    return {name: value for name, value in totals.items() if value[0]}


def _total(amounts: pl.Series) -> tuple[int, int]:
    paid = amounts.filter(amounts > 0)
    return paid.len(), int(paid.sum() or 0)


def _half_up(fen: pl.Expr) -> pl.Expr:
    return (fen + FEN // 2) // FEN


def _value(params: ParameterSet, name: str, area: str, on: dt.date) -> object:
    """The value in force for ``area`` on ``on``; a what-if override replaces it."""
    dated = params[name].for_area(area, on)
    if dated is None:
        raise ValueError(f"{name} has no value for {area} on {on}")
    override = params.overrides.get(name)
    if isinstance(dated.value, dict) and isinstance(override, dict):
        return {**dated.value, **override}
    return dated.value if override is None else override


def _area_table(params: ParameterSet, areas: list[str], on: dt.date) -> pl.DataFrame:
    """Every parameter the programmes need, one row per area code (fen, ratios, years)."""
    rows = []
    for area in areas:
        def get(name: str, area: str = area) -> object:
            return _value(params, name, area, on)

        standard = get("dibao.standard")
        care = get("tekun.care_amount")
        grades = get("tekun.disability_max_grade")
        nursing = get("disability_nursing.amount")
        elderly = get("elderly_allowance.amount")
        ages = get("home_care.ages")
        home = get("home_care.amount")
        assert isinstance(standard, dict) and isinstance(care, dict)
        assert isinstance(grades, dict) and isinstance(nursing, dict)
        assert isinstance(elderly, dict) and isinstance(ages, dict) and isinstance(home, dict)
        rows.append({
            "area_code": area, "s_urban": standard["urban"], "s_rural": standard["rural"],
            "asset_months": get("dibao.asset_multiple"), "max_vehicles": get("dibao.max_vehicles"),
            "max_houses": get("dibao.max_houses"),
            "single_factor": get("dibao.single_person_income_factor"),
            "tekun_factor": get("tekun.basic_factor"), "tekun_old": get("tekun.elderly_age"),
            "tekun_young": get("tekun.child_age"),
            **{f"tekun_{k}": v for k, v in grades.items()},
            **{f"care_{k}": v for k, v in care.items()},
            "living": get("disability_living.amount"),
            "living_grade": get("disability_living.max_grade"),
            **{f"nursing_{k}": v for k, v in nursing.items()},
            "orphan_amount": get("orphan_allowance.amount"),
            "orphan_age": get("orphan_allowance.age_limit"),
            "orphan_study": get("orphan_allowance.continue_in_study"),
            "orphan_study_age": get("orphan_allowance.study_age_limit"),
            **{f"elderly_{k}": v for k, v in elderly.items()},
            "home_all_age": ages["all_80"], "home_supported_age": ages["supported_60"],
            "home_all": home["all_80"], "home_supported": home["supported_60"],
            "home_grade": get("home_care.min_ability_grade"),
        })
    return pl.DataFrame(rows).with_columns(pl.col("area_code").cast(pl.String))


def _households(households: pl.DataFrame, params: ParameterSet, on: dt.date) -> pl.DataFrame:
    frame = households.with_columns(pl.col("area_code").cast(pl.String))
    areas = frame["area_code"].unique().to_list()
    table = _area_table(params, areas, on)
    frame = frame.join(table, on="area_code", how="left")
    urban = pl.col("hukou").cast(pl.String) == "urban"
    return frame.with_columns(
        s=pl.when(urban).then(pl.col("s_urban")).otherwise(pl.col("s_rural")),
        assets_fen=(pl.col("financial_assets").cast(pl.Float64) * FEN).round().cast(pl.Int64),
    )


def _persons(persons: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    birth = pl.col("birth_date")
    before_birthday = (birth.dt.month() > on.month) | (
        (birth.dt.month() == on.month) & (birth.dt.day() > on.day)
    )
    age = on.year - birth.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)
    return persons.with_columns(
        age=age,
        income_fen=(pl.col("monthly_income").cast(pl.Float64) * FEN).round().cast(pl.Int64),
        category=pl.col("disability_category").cast(pl.String).fill_null(""),
        grade=pl.col("disability_grade").fill_null(0).cast(pl.Int32),
        ability=pl.col("ability_grade").fill_null(-1).cast(pl.Int32),
        care=pl.col("self_care").cast(pl.String).fill_null("full"),
        orphan_status=pl.col("orphan_status").cast(pl.String),
    ).filter(pl.col("age") >= 0)  # not yet born on the first of the month


def _assets_ok(members: pl.Expr) -> pl.Expr:
    return (
        (pl.col("assets_fen") <= pl.col("asset_months") * pl.col("s") * members)
        & (pl.col("vehicles") <= pl.col("max_vehicles"))
        & (pl.col("houses") <= pl.col("max_houses"))
    )


def _tekun_and_orphans(p: pl.DataFrame) -> pl.DataFrame:
    """Orphan allowance first (a child who qualifies gets it instead of tekun), then tekun."""
    category, grade, age = pl.col("category"), pl.col("grade"), pl.col("age")
    orphan = pl.col("orphan_status").is_not_null() & (
        (age < pl.col("orphan_age"))
        | (
            pl.col("full_time_student")
            & (pl.col("orphan_study") == 1)
            & (age < pl.col("orphan_study_age"))
        )
    )
    disabled = pl.lit(False)
    for kind in ("intellectual", "mental", "physical", "visual"):
        limit = pl.col(f"tekun_{kind}")
        disabled = disabled | ((category == kind) & (grade >= 1) & (grade <= limit))
    cannot_work = (age >= pl.col("tekun_old")) | (age < pl.col("tekun_young")) | disabled
    members = pl.len().over("household_id")
    tekun = (
        cannot_work & (pl.col("income_fen") < pl.col("s")) & _assets_ok(members)
        & pl.col("no_able_supporter") & ~orphan
    )
    return p.with_columns(orphan=orphan, tekun=tekun)


def _dibao(hh: pl.DataFrame, p: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    counted = p.filter(~pl.col("tekun")).group_by("household_id").agg(
        n=pl.len(), income=pl.col("income_fen").sum()
    )
    hh = hh.join(counted, left_on="id", right_on="household_id", how="left").with_columns(
        pl.col("n").fill_null(0), pl.col("income").fill_null(0)
    )
    need = pl.col("s") * pl.col("n")
    assets = _assets_ok(pl.col("n"))
    eligible = (pl.col("n") > 0) & (pl.col("income") < need) & assets
    income_only = (
        (pl.col("n") > 0) & assets & (pl.col("income") >= need)
        & (pl.col("income") * RATIO_SCALE < need * pl.col("single_factor"))
    )
    hh = hh.with_columns(
        dibao_eligible=eligible, income_only=income_only,
        dibao=pl.when(eligible).then(_half_up(need - pl.col("income"))).otherwise(0),
    )
    p = p.join(hh.select("id", "dibao_eligible", "income_only"),
               left_on="household_id", right_on="id", how="left")
    category, grade = pl.col("category"), pl.col("grade")
    severe = ((grade >= 1) & (grade <= 2) & (category != "")) | (
        (grade == 3) & category.is_in(["intellectual", "mental"])
    )
    alone = pl.col("income_only") & ~pl.col("tekun") & (severe | pl.col("serious_illness"))
    single = pl.when(alone).then(_half_up(pl.col("s") - pl.col("income_fen"))).otherwise(0)
    p = p.with_columns(dibao_single=pl.max_horizontal(single, 0))
    return hh, p


def _person_amounts(p: pl.DataFrame) -> pl.DataFrame:
    category, grade, age = pl.col("category"), pl.col("grade"), pl.col("age")
    certified = (category != "") & (grade >= 1)
    covered = (~pl.col("tekun") & pl.col("dibao_eligible")) | (pl.col("dibao_single") > 0)
    living = certified & (grade <= pl.col("living_grade")) & covered & ~pl.col("tekun")
    mental = category.is_in(["intellectual", "mental"])
    nursing_grade = certified & ((grade <= 2) | mental)
    centralised = pl.col("tekun") & pl.col("in_institution")
    nursing = pl.when(nursing_grade & ~centralised).then(
        pl.when(grade == 1).then(pl.col("nursing_1"))
        .when(grade == 2).then(pl.col("nursing_2"))
        .when(grade == 3).then(pl.col("nursing_3"))
        .otherwise(pl.col("nursing_4"))
    ).otherwise(0)
    care = (
        pl.when(pl.col("care") == "none").then(pl.col("care_none"))
        .when(pl.col("care") == "partial").then(pl.col("care_partial"))
        .otherwise(pl.col("care_full"))
    )
    tekun_basic = (pl.col("s") * pl.col("tekun_factor") + FEN // 2 * RATIO_SCALE) // (
        FEN * RATIO_SCALE
    )
    elderly = (
        pl.when(age >= 100).then(pl.col("elderly_100"))
        .when(age >= 90).then(pl.col("elderly_90"))
        .when(age >= 80).then(pl.col("elderly_80"))
        .otherwise(0)
    )
    supported = (
        (age >= pl.col("home_supported_age"))
        & (pl.col("tekun") | pl.col("dibao_eligible") | (pl.col("dibao_single") > 0))
        & (pl.col("ability") >= pl.col("home_grade"))
    )
    home = pl.max_horizontal(
        pl.when(age >= pl.col("home_all_age")).then(_half_up(pl.col("home_all"))).otherwise(0),
        pl.when(supported).then(_half_up(pl.col("home_supported"))).otherwise(0),
    )
    return p.select(
        tekun_basic=pl.when(pl.col("tekun")).then(tekun_basic).otherwise(0),
        tekun_care=pl.when(pl.col("tekun")).then(_half_up(care)).otherwise(0),
        disability_living=pl.when(living).then(_half_up(pl.col("living"))).otherwise(0),
        disability_nursing=_half_up(nursing),
        orphan_allowance=pl.when(pl.col("orphan")).then(
            _half_up(pl.col("orphan_amount"))
        ).otherwise(0),
        elderly_allowance=_half_up(elderly),
        home_care=home,
    )
