"""Request and response shapes of the registry API.

Requests name every field explicitly and refuse unknown ones (``extra="forbid"``), so
a misspelt field is an error rather than silently ignored. Responses mask ID numbers,
phone numbers and bank accounts (core.masking); nothing leaves the API unmasked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from safetynet.core import masking
from safetynet.core.schemas import RequestDate
from safetynet.registry import choices as c

# --- requests -------------------------------------------------------------------------


class RequestSchema(Schema):
    """A request body: unknown fields are rejected; choices arrive as plain strings."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class HeadIn(RequestSchema):
    """A person's own data; ``id_number`` fills birth date and sex when they are omitted."""

    name: str = Field(min_length=1, max_length=40)
    id_number: str | None = Field(None, max_length=40,
                                  description="GB 11643, 18 characters; checked by the service")
    sex: c.Sex | None = None
    birth_date: RequestDate | None = None
    phone: str = Field("", max_length=20)
    marital_status: c.MaritalStatus | None = None
    education: c.Education | None = None
    employment: c.Employment | None = None
    disability_category: c.DisabilityCategory | None = None
    disability_grade: c.DisabilityGrade | None = None
    serious_illness: bool = False
    health_notes: str = Field("", max_length=200)
    self_care: c.SelfCare | None = None
    ability_grade: int | None = Field(None, ge=0, le=4)
    full_time_student: bool = False
    no_able_supporter: bool = False
    orphan_status: c.OrphanStatus | None = None
    in_institution: bool = False
    not_counted: c.NotCounted | None = None


class MemberIn(HeadIn):
    relation: c.Relation


class HouseholdIn(RequestSchema):
    area_code: str = Field(max_length=12, description="12-digit village or community code")
    hukou: c.Hukou
    address: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=20)
    bank_name: str = Field("", max_length=60)
    bank_account: str = Field("", max_length=32, description="12–19 digits with a valid "
                              "Luhn check digit; checked by the service (core.bankcards)")
    head: HeadIn


# PATCH bodies: only the fields sent are changed (the API dumps them with
# exclude_unset). Fields that may not be empty refuse an explicit null.


def not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "may not be null")
    return value


class HouseholdPatch(RequestSchema):
    refuse_null = field_validator("area_code", "hukou", "address", mode="before")(not_null)

    area_code: str | None = Field(None, max_length=12)
    hukou: c.Hukou | None = None
    address: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = Field(None, max_length=20)
    bank_name: str | None = Field(None, max_length=60)
    bank_account: str | None = Field(None, max_length=32)


class PersonPatch(RequestSchema):
    refuse_null = field_validator("name", "relation", "serious_illness", "full_time_student",
                                  "no_able_supporter", "in_institution", mode="before")(not_null)

    name: str | None = Field(None, min_length=1, max_length=40)
    id_number: str | None = Field(None, max_length=40)
    sex: c.Sex | None = None
    birth_date: RequestDate | None = None
    relation: c.Relation | None = None
    phone: str | None = Field(None, max_length=20)
    marital_status: c.MaritalStatus | None = None
    education: c.Education | None = None
    employment: c.Employment | None = None
    disability_category: c.DisabilityCategory | None = None
    disability_grade: c.DisabilityGrade | None = None
    serious_illness: bool | None = None
    health_notes: str | None = Field(None, max_length=200)
    self_care: c.SelfCare | None = None
    ability_grade: int | None = Field(None, ge=0, le=4)
    full_time_student: bool | None = None
    no_able_supporter: bool | None = None
    orphan_status: c.OrphanStatus | None = None
    in_institution: bool | None = None
    not_counted: c.NotCounted | None = None


class MoveIn(RequestSchema):
    target_household_id: int
    relation: c.Relation = Field(description="relation to the head of the target household")


class DeceasedIn(RequestSchema):
    deceased_on: RequestDate


class SplitIn(RequestSchema):
    member_ids: list[int] = Field(min_length=1, description="members who form the new household")
    head_id: int = Field(description="one of member_ids: the head of the new household")
    address: str = Field("", max_length=200, description="default: the old household's address")


class MergeIn(RequestSchema):
    target_household_id: int = Field(description="the household that takes in every member")


# --- responses ------------------------------------------------------------------------


class IncomeOut(Schema):
    kind: str
    monthly_amount: Decimal
    note: str


class PersonOut(Schema):
    id: int
    household_id: int
    household_number: str
    area_code: str
    name: str
    id_number: str = Field(description="masked: 320722********0019")
    sex: str
    birth_date: date
    relation: str
    phone: str = Field(description="masked: 138****0000")
    marital_status: str
    education: str
    employment: str
    disability_category: str
    disability_grade: int | None
    serious_illness: bool
    health_notes: str
    self_care: str
    ability_grade: int | None
    full_time_student: bool
    no_able_supporter: bool
    orphan_status: str
    in_institution: bool
    not_counted: str
    deceased_on: date | None

    @staticmethod
    def resolve_household_number(obj: Any) -> str:
        return str(obj.household.number)

    @staticmethod
    def resolve_area_code(obj: Any) -> str:
        return str(obj.area_id)

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return masking.mask_id(obj.id_number)

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return masking.mask_phone(obj.phone)


class MemberOut(PersonOut):
    incomes: list[IncomeOut]


class AssetOut(Schema):
    kind: str
    value: Decimal
    note: str


class ExpenseOut(Schema):
    kind: str
    monthly_amount: Decimal
    note: str


class HouseholdOut(Schema):
    id: int
    number: str
    hukou: str
    area_code: str
    area_name: str
    address: str
    phone: str = Field(description="masked: 138****0000")
    bank_name: str
    bank_account: str = Field(description="masked: **** 1234")
    active: bool
    dissolved_reason: str

    @staticmethod
    def resolve_area_code(obj: Any) -> str:
        return str(obj.area_id)

    @staticmethod
    def resolve_area_name(obj: Any) -> str:
        return str(obj.area.name)

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return masking.mask_phone(obj.phone)

    @staticmethod
    def resolve_bank_account(obj: Any) -> str:
        return masking.mask_card(obj.bank_account)


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]
    closed_members: int = Field(0, description="children under 14 not shown to this role")

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        closed: set[int] = getattr(obj, "closed_ids", set())
        return [p for p in obj.members.all() if p.pk not in closed]

    @staticmethod
    def resolve_closed_members(obj: Any) -> int:
        return len(getattr(obj, "closed_ids", ()))
    assets: list[AssetOut]
    rigid_expenses: list[ExpenseOut]


class HouseholdPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[HouseholdOut]
