"""DCI queries (idtype-value, expression, predicate) as filters over the registry's persons.

Every attribute belongs to a field group: a partner may query by an attribute only when it
may also see it, so a query cannot reveal what an answer would hide. Area codes are
prefixes (a township code finds its villages) and must meet the partner's own areas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from safetynet.benefits.models import LIVE_STATUSES, Enrollment, Program
from safetynet.core import dates
from safetynet.core.idnumber import normalize
from safetynet.core.jurisdiction import user_area_codes
from safetynet.dci.models import FieldGroup, Partner
from safetynet.registry import choices as c
from safetynet.registry.access import CHILD_AGE
from safetynet.registry.models import Person
from safetynet.rules.parameters import highest_in_force

MAX_TERMS = 50
OPERATORS = {"eq": "exact", "gt": "gt", "lt": "lt", "ge": "gte", "le": "lte", "in": "in"}
EXPRESSION_OPERATORS = {"$eq": "eq", "$gt": "gt", "$gte": "ge", "$ge": "ge", "$lt": "lt",
                        "$lte": "le", "$le": "le", "$in": "in", "$ne": "ne"}
SEX = {"male": c.Sex.MALE, "m": c.Sex.MALE, "female": c.Sex.FEMALE, "f": c.Sex.FEMALE}


class QueryError(Exception):
    """A query the registry cannot run: the spec's reason code and what is wrong."""

    def __init__(self, message: str, reason_code: str = "rjct.search_criteria.invalid"):
        super().__init__(message)
        self.reason_code = reason_code


@dataclass(frozen=True)
class Attribute:
    lookup: str
    group: str
    operators: frozenset[str]
    convert: Callable[[Any], Any] = str


EQUALITY = frozenset({"eq", "in", "ne"})
ORDERED = frozenset(OPERATORS) | {"ne"}


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise QueryError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise QueryError(f"{value!r} is not a whole number")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"{value!r} is not a whole number") from exc


def _sex(value: Any) -> str:
    found = SEX.get(str(value).lower())
    if found is None:
        raise QueryError(f"sex {value!r}: expected male or female")
    return found


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes"):
        return True
    if str(value).lower() in ("false", "0", "no"):
        return False
    raise QueryError(f"{value!r} is not true or false")


def _choice(choices: Any) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if str(value) not in choices.values:
            raise QueryError(f"{value!r}: expected one of {', '.join(choices.values)}")
        return str(value)
    return convert


def _id_number(value: Any) -> str:
    return normalize(str(value))


ID = Attribute("id_number", FieldGroup.ID_NUMBER, frozenset({"eq", "in"}), _id_number)
ATTRIBUTES: dict[str, Attribute] = {
    "UIN": ID, "NationalID": ID, "id_number": ID,
    "name": Attribute("name", FieldGroup.IDENTITY, EQUALITY),
    "sex": Attribute("sex", FieldGroup.IDENTITY, EQUALITY, _sex),
    "birth_date": Attribute("birth_date", FieldGroup.IDENTITY, ORDERED, _date),
    "DOB": Attribute("birth_date", FieldGroup.IDENTITY, ORDERED, _date),
    "YOB": Attribute("birth_date__year", FieldGroup.IDENTITY, ORDERED, _int),
    "area_code": Attribute("area", "", frozenset({"eq", "in"})),
    "location": Attribute("area", "", frozenset({"eq", "in"})),
    "hukou": Attribute("household__hukou", FieldGroup.HOUSEHOLD, EQUALITY, _choice(c.Hukou)),
    "household_number": Attribute("household__number", FieldGroup.HOUSEHOLD, EQUALITY),
    "relationship_head": Attribute("relation", FieldGroup.HOUSEHOLD, EQUALITY,
                                   _choice(c.Relation)),
    "marital_status": Attribute("marital_status", FieldGroup.SOCIAL, EQUALITY,
                                _choice(c.MaritalStatus)),
    "education_level": Attribute("education", FieldGroup.SOCIAL, EQUALITY,
                                 _choice(c.Education)),
    "employment_status": Attribute("employment", FieldGroup.SOCIAL, EQUALITY,
                                   _choice(c.Employment)),
    "disability_category": Attribute("disability_category", FieldGroup.DISABILITY, EQUALITY,
                                     _choice(c.DisabilityCategory)),
    "disability_grade": Attribute("disability_grade", FieldGroup.DISABILITY, ORDERED, _int),
    "is_disabled": Attribute("is_disabled", FieldGroup.DISABILITY, frozenset({"eq"}), _bool),
    "death_date": Attribute("deceased_on", FieldGroup.VITAL, ORDERED, _date),
    "is_deceased": Attribute("is_deceased", FieldGroup.VITAL, frozenset({"eq"}), _bool),
    "programme": Attribute("programme", FieldGroup.ASSISTANCE, frozenset({"eq", "in"}),
                           _choice(Program)),
}
# idtype-value: the identifier types a partner may look a person up by.
ID_TYPES = {"UIN": "UIN", "NationalID": "UIN", "NID": "UIN", "ID": "UIN",
            "id_number": "UIN", "household_number": "household_number"}
SORTABLE = {"name": "name", "birth_date": "birth_date", "area_code": "area_id",
            "household_number": "household__number", "registration_date": "created_at"}


def build(query_type: str, query: Any, partner: Partner, today: date) -> Q:
    """The filter for one search criterion; QueryError when it cannot be run."""
    counter = [0]
    if query_type == "idtype-value":
        return _idtype_value(query, partner, today)
    if query_type == "expression":
        return _expression(_expression_body(query), partner, today, counter)
    if query_type == "predicate":
        return _predicates(query, partner, today, counter)
    raise QueryError(f"query_type {query_type!r}: expected idtype-value, expression or "
                     "predicate")


def _idtype_value(query: Any, partner: Partner, today: date) -> Q:
    if not isinstance(query, dict) or "type" not in query or "value" not in query:
        raise QueryError("query: an idtype-value query is {\"type\": ..., \"value\": ...}")
    name = ID_TYPES.get(str(query["type"]).rsplit(":", 1)[-1])
    if name is None:
        raise QueryError(f"query.type {query['type']!r}: expected one of "
                         f"{', '.join(sorted(ID_TYPES))}")
    return term(name, "eq", query["value"], partner, today)


def _expression_body(query: Any) -> Any:
    """{"type": "expression", "value": {"expression": {"collection": ..., "query": {...}}}}
    as in the spec's example; a bare {"$and": [...]} is taken too."""
    if isinstance(query, dict) and isinstance(query.get("value"), dict):
        query = query["value"]
    if isinstance(query, dict) and "expression" in query:
        query = query["expression"]
    if isinstance(query, dict) and isinstance(query.get("query"), dict):
        query = query["query"]
    if not isinstance(query, dict) or not query:
        raise QueryError("query: an expression is an object such as "
                         "{\"$and\": [{\"YOB\": {\"$lt\": 1950}}]}")
    return query


def _expression(node: dict[str, Any], partner: Partner, today: date, counter: list[int]) -> Q:
    result = Q()
    for key, value in node.items():
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise QueryError(f"{key} takes a non-empty list")
            parts = [_expression(_object(v), partner, today, counter) for v in value]
            combined = parts[0]
            for part in parts[1:]:
                combined = combined & part if key == "$and" else combined | part
            result &= combined
        elif key == "$not":
            result &= ~_expression(_object(value), partner, today, counter)
        else:
            result &= _comparisons(key, value, partner, today, counter)
    return result


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise QueryError(f"{str(value)[:40]!r} is not an expression object")
    return value


def _comparisons(name: str, value: Any, partner: Partner, today: date,
                 counter: list[int]) -> Q:
    if not isinstance(value, dict):
        value = {"$eq": value}
    result = Q()
    for operator, operand in value.items():
        if operator not in EXPRESSION_OPERATORS:
            raise QueryError(f"{name}: operator {operator!r}: expected one of "
                             f"{', '.join(EXPRESSION_OPERATORS)}")
        _count(counter)
        result &= term(name, EXPRESSION_OPERATORS[operator], operand, partner, today)
    return result


def _predicates(query: Any, partner: Partner, today: date, counter: list[int]) -> Q:
    """Each item is expression1 [condition expression2]; the items, in seq_num order, must
    all hold."""
    if not isinstance(query, list) or not query:
        raise QueryError("query: a predicate query is a non-empty list of expressions")
    result = Q()
    for item in sorted(query, key=lambda i: i.get("seq_num", 0) if isinstance(i, dict) else 0):
        if not isinstance(item, dict) or "expression1" not in item:
            raise QueryError("each predicate needs expression1")
        first = _predicate_term(item["expression1"], partner, today, counter)
        condition = item.get("condition")
        if condition is None and "expression2" not in item:
            result &= first
            continue
        if condition not in ("and", "or", "not") or "expression2" not in item:
            raise QueryError("a predicate with expression2 needs condition and, or or not")
        second = _predicate_term(item["expression2"], partner, today, counter)
        result &= {"and": first & second, "or": first | second, "not": first & ~second}[
            condition]
    return result


def _predicate_term(expression: Any, partner: Partner, today: date, counter: list[int]) -> Q:
    if not isinstance(expression, dict) or not {"attribute_name", "operator",
                                                "attribute_value"} <= expression.keys():
        raise QueryError("an expression needs attribute_name, operator and attribute_value")
    _count(counter)
    return term(str(expression["attribute_name"]), str(expression["operator"]),
                expression["attribute_value"], partner, today)


def _count(counter: list[int]) -> None:
    counter[0] += 1
    if counter[0] > MAX_TERMS:
        raise QueryError(f"a query may have at most {MAX_TERMS} conditions")


def term(name: str, operator: str, value: Any, partner: Partner, today: date) -> Q:
    """One condition ``name operator value`` as a filter."""
    if name == "age":
        return _age(operator, value, partner, today)
    attribute = ATTRIBUTES.get(name)
    if attribute is None:
        raise QueryError(f"attribute {name!r} is unknown; queryable: "
                         f"{', '.join(sorted([*ATTRIBUTES, 'age']))}")
    if attribute.group and not partner.grants(attribute.group):
        raise QueryError(f"attribute {name!r} is outside the fields granted to this partner")
    if operator not in attribute.operators:
        raise QueryError(f"{name}: operator {operator!r} is not allowed; use "
                         f"{', '.join(sorted(attribute.operators))}")
    if operator == "in":
        if isinstance(value, str):  # the spec's attribute_value cannot be a list
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not value or len(value) > MAX_TERMS:
            raise QueryError(f"{name} in: give a list of 1 to {MAX_TERMS} values")
        values = [attribute.convert(v) for v in value]
        return _or([_single(attribute, "eq", v, partner) for v in values])
    if isinstance(value, (list, dict)):
        raise QueryError(f"{name}: {operator} takes one value, not a list or object")
    single = _single(attribute, operator, attribute.convert(value), partner)
    return ~single if operator == "ne" else single


def _single(attribute: Attribute, operator: str, value: Any, partner: Partner) -> Q:
    lookup = OPERATORS.get(operator, "exact")
    if attribute.lookup == "area":
        return Q(area__code__startswith=_area_in_scope(str(value), partner))
    if attribute.lookup == "is_disabled":
        return ~Q(disability_category="") if value else Q(disability_category="")
    if attribute.lookup == "is_deceased":
        return Q(deceased_on__isnull=not value)
    if attribute.lookup == "programme":
        live = Enrollment.objects.filter(program=value, status__in=LIVE_STATUSES)
        return Q(Exists(live.filter(person=OuterRef("pk")))) | Q(Exists(live.filter(
            person__isnull=True, household=OuterRef("household"))))
    return Q(**{f"{attribute.lookup}__{lookup}": value})


def _or(parts: list[Q]) -> Q:
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def _area_in_scope(code: str, partner: Partner) -> str:
    """An area code that meets the partner's areas (a wider one is narrowed by the scope
    filter; one beside them is refused)."""
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise QueryError(f"area_code {code!r} is not a division code")
    if not any(code.startswith(own) or own.startswith(code)
               for own in user_area_codes(partner)):
        raise QueryError(f"area_code {code} is outside the areas granted to this partner")
    return code


def _age(operator: str, value: Any, partner: Partner, today: date) -> Q:
    """Age in full years today, as a range of birth dates."""
    if not partner.grants(FieldGroup.IDENTITY):
        raise QueryError("attribute 'age' is outside the fields granted to this partner")
    if operator == "in" or operator not in OPERATORS:
        raise QueryError(f"age: operator {operator!r}: use eq, gt, ge, lt or le")
    years = _int(value)
    oldest_birth_of = dates.latest_birth_for_age  # born on or before: at least that age
    ranges = {
        "ge": Q(birth_date__lte=oldest_birth_of(today, years)),
        "gt": Q(birth_date__lte=oldest_birth_of(today, years + 1)),
        "le": Q(birth_date__gt=oldest_birth_of(today, years + 1)),
        "lt": Q(birth_date__gt=oldest_birth_of(today, years)),
    }
    if operator == "eq":
        return ranges["ge"] & ranges["le"]
    return ranges[operator]


def adults(queryset: QuerySet[Person], today: date) -> QuerySet[Person]:
    """Children under 14 are never found: their records are closed to partner systems."""
    child_age = highest_in_force(CHILD_AGE, today)
    return queryset.filter(birth_date__lte=dates.latest_birth_for_age(today, child_age))



def order_by(sort: Any) -> list[str]:
    """The spec's sort list as order_by fields; pk last so pages are stable."""
    fields: list[str] = []
    for item in sort or []:
        name = item.get("attribute_name") if isinstance(item, dict) else None
        if name not in SORTABLE:
            raise QueryError(f"sort attribute {name!r}: expected one of "
                             f"{', '.join(sorted(SORTABLE))}", "rjct.sort.invalid")
        prefix = "-" if item.get("sort_order") == "desc" else ""
        fields.append(prefix + SORTABLE[name])
    return [*fields, "pk"]
