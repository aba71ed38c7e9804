"""Bad input on every mutating operation of /api/v1/ changes nothing.

For every POST, PUT, PATCH and DELETE of the published document (so a new operation is
covered without being listed), on the small demo county:

* each body field and query parameter in turn gets a wrong type, a text longer than its
  ``maxLength``, a date far in the past or the future, an unknown code: the answer is 422
  in the error shape naming that field;
* the record in the path (and every record a body names by id) is one of another
  township's, with an otherwise well-formed body: the answer is a 4xx in the error shape;

each sent by a user of the module's township role (window clerk, township officer, child
supervisor) in a township other than the demo's, whose records are all another township's;

and the app tables (row counts and a checksum of every row) and the audit log (apart from
refusals it records) are the same after the operation's requests as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.benefits.models import Enrollment
from safetynet.children.models import ChildProfile, HotlineCase
from safetynet.core.models import Area, AuditEvent
from safetynet.core.schemas import MONTH_RE
from safetynet.discovery.models import SourceImport
from safetynet.eldercare.models import Institution, ModificationPlan, ServiceOrder, Stay
from safetynet.intake.models import Application, Referral
from safetynet.payments.models import PayrollRun
from safetynet.registry.models import Household, Person
from tests.api.fuzzing import build_county
from tests.api.openapi_walk import (
    MUTATING,
    Operation,
    body,
    operations,
    properties,
    published_document,
    resolve,
    without_null,
)
from tests.conftest import issue_token, make_user

pytestmark = pytest.mark.django_db

# The role that works with each module in a township; the callers' township is not the
# demo's (320722001), which holds the demo's records of every kind.
ROLES = {"eldercare": Role.OFFICER, "children": Role.CHILD_SUPERVISOR}
DEFAULT_ROLE = Role.CLERK
# Path and body ids -> (model, its area code field); None: a county record (payroll runs,
# department imports), which a township user may not touch either.
RECORDS: dict[str, tuple[type[models.Model], str | None]] = {
    "household_id": (Household, "area__code"), "target_household_id": (Household, "area__code"),
    "person_id": (Person, "area__code"), "applicant_id": (Person, "area__code"),
    "beneficiary_id": (Person, "area__code"), "member_ids": (Person, "area__code"),
    "head_id": (Person, "area__code"), "application_id": (Application, "area__code"),
    "referral_id": (Referral, "area__code"), "enrollment_id": (Enrollment, "household__area__code"),
    "order_id": (ServiceOrder, "area__code"), "institution_id": (Institution, "area__code"),
    "stay_id": (Stay, "person__area__code"), "plan_id": (ModificationPlan, "area__code"),
    "child_id": (ChildProfile, "area__code"), "run_id": (PayrollRun, None),
    "import_id": (SourceImport, None),
}
PATH_RECORDS = {"/children/cases/{pk}": (HotlineCase, "area__code")}
# Tables whose rows change with every request, not with the data: left out of the snapshot.
NOT_DATA = {"sessions", "contenttypes", "auth", "admin", "axes", "otp_totp", "otp_static"}
VOLATILE_FIELDS = {"last_used_at", "last_login"}
TOWNSHIP: list[str] = []  # the callers' township, set once the county is built
FAR_PAST, BEFORE_FIRST, FAR_FUTURE = "0001-01-01", "1899-12-31", "9999-12-31"


# --- what the database holds -----------------------------------------------------------------


def snapshot() -> dict[str, tuple[int, str]]:
    """Per table: row count and a checksum of every row as stored (raw SQL: no decryption),
    audit events only those that are not refusals."""
    tables = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            meta = model._meta
            if meta.app_label in NOT_DATA or not meta.managed or meta.label == "core.AuditHead":
                continue  # (the audit head moves with every audited refusal)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in meta.concrete_fields
                                if f.attname not in VOLATILE_FIELDS)
            where = " WHERE result = 'ok'" if model is AuditEvent else ""
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)}"
                           f"{where} ORDER BY {connection.ops.quote_name(meta.pk.column)}")
            rows = cursor.fetchall()
            tables[meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return tables


def changes(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return [f"{table}: {before.get(table)} -> {after.get(table)}"
            for table in sorted(set(before) | set(after)) if before.get(table) != after.get(table)]


# --- requests --------------------------------------------------------------------------------


def township() -> Area:
    """A township of the demo county other than the demo users' (it has households)."""
    demo = set(User.objects.get(username="clerk").areas.values_list("code", flat=True))
    codes = Household.objects.values_list("area__parent__code", flat=True).distinct()
    return Area.objects.get(code=sorted(set(codes) - demo)[0])


def foreign_id(name: str, path: str) -> int | None:
    """A record another township holds (or a county record) for an id named ``name``."""
    model, area = next((found for suffix, found in PATH_RECORDS.items()
                        if path.endswith(suffix) and name == "pk"), RECORDS.get(name, (None, None)))
    if model is None:
        return None
    records = model._default_manager.all()
    if area is not None:
        records = records.exclude(**{f"{area}__startswith": TOWNSHIP[0]})
    return records.order_by("pk").values_list("pk", flat=True).first()


def example(document: dict[str, Any], schema: dict[str, Any], root: dict[str, Any],
            name: str, path: str) -> Any:
    """A well-formed value for a field (ids: another township's records)."""
    schema = resolve(document, without_null(resolve(document, schema, root)), root)
    if name in RECORDS:
        record = foreign_id(name, path) or 10**9
        return [record] if schema.get("type") == "array" else record
    if schema.get("enum"):
        return next((v for v in schema["enum"] if v != ""), schema["enum"][0])
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "date":
        return dt.date.today().isoformat()
    if fmt == "date-time":
        return dt.datetime.now(dt.UTC).isoformat()
    if kind == "string":
        if schema.get("pattern") == MONTH_RE.pattern:
            return dt.date.today().strftime("%Y-%m")
        if schema.get("pattern") == "^[0-9]{6}$":
            return "123456"
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {key: example(document, value, root, key, path)
                for key, value in schema.get("properties", {}).items()
                if key in schema.get("required", [])}
    return "x"


def bad_values(schema: dict[str, Any], multipart: bool) -> Iterator[tuple[Any, str]]:
    """(value, what is wrong) a field with this schema must refuse."""
    schema = without_null(schema)
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "binary":
        return
    if fmt == "date":
        yield from ((FAR_PAST, "far past"), (BEFORE_FIRST, "before 1900"),
                    (FAR_FUTURE, "far future"), ("31/12/2024", "not a date"))
    elif fmt == "date-time":
        yield from ((f"{FAR_PAST}T08:00:00+08:00", "far past"),
                    (f"{FAR_FUTURE}T08:00:00+08:00", "far future"))
    elif "enum" in schema:
        yield "nonsense", "unknown code"
    elif kind == "string" and "maxLength" in schema:
        yield "9" * (schema["maxLength"] + 1), "too long"
    if kind == "string" and not multipart:
        yield 12345, "wrong type"
    elif kind in ("integer", "number"):
        yield "abc", "wrong type"
    elif kind == "boolean" and not multipart:
        yield "maybe", "wrong type"
    elif kind in ("array", "object") and not multipart:
        yield "x", "wrong type"


def nested(dotted: str, value: Any) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    return {head: nested(rest, value) if rest else value}


class Caller:
    def __init__(self, role: str, area: Area):
        self.user = make_user(f"{role}_{area.code}", role, area)
        self.client = Client(headers={"Authorization": f"Bearer {issue_token(self.user)}",
                                      "Accept-Language": "en"})

    def send(self, operation: Operation, path: str, query: dict[str, Any],
             data: dict[str, Any] | None, multipart: bool) -> tuple[int, Any]:
        url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        if multipart:
            files = {key: value for key, value in (data or {}).items()}
            response = self.client.post(url, files)
        elif data is None:
            response = self.client.generic(operation.method.upper(), url)
        else:
            response = self.client.generic(operation.method.upper(), url, json.dumps(data),
                                           content_type="application/json")
        try:
            return response.status_code, json.loads(response.content)
        except ValueError:
            return response.status_code, response.content[:200]


def error_shape(answer: Any) -> bool:
    return (isinstance(answer, dict) and isinstance(answer.get("errors"), list)
            and bool(answer["errors"])
            and all(isinstance(e, dict) and isinstance(e.get("field"), str)
                    and isinstance(e.get("message"), str) for e in answer["errors"]))


def names(answer: Any, field: str) -> bool:
    """Whether an error names ``field`` (or a part of it: ``birth_date``, ``items.0``)."""
    fields = [e["field"] for e in answer["errors"]]
    leaf = field.split(".")[-1]
    return any(f == field or f.startswith((f"{field}.", f"{field}[")) or f.split(".")[-1] == leaf
               for f in fields)


# --- the test --------------------------------------------------------------------------------


def test_bad_input_on_every_mutating_operation_changes_nothing() -> None:
    build_county()
    TOWNSHIP[:] = [township().code]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 4xx are the point here
    document = published_document()
    callers: dict[str, Caller] = {}
    area = Area.objects.get(code=TOWNSHIP[0])
    problems: list[str] = []
    covered = {"operations": 0, "bad values": 0, "foreign ids": 0}
    upload = b"id_number,name\n"
    for operation in operations(document):
        if operation.method not in MUTATING:
            continue
        covered["operations"] += 1
        module = operation.path.split("/")[3]
        role = ROLES.get(module, DEFAULT_ROLE)
        caller = callers.get(role) or callers.setdefault(role, Caller(role, area))
        request_body = body(document, operation)
        multipart = request_body is not None and request_body[0] == "multipart/form-data"
        schema = request_body[1] if request_body else {}
        path, foreign = operation.path, False
        for parameter in operation.parameters("path"):
            enum = without_null(parameter["schema"]).get("enum")
            record = None if enum else foreign_id(parameter["name"], operation.path)
            foreign = foreign or record is not None
            value = enum[0] if enum else (record or 10**9)
            path = path.replace(f"{{{parameter['name']}}}", str(value))
        well_formed = example(document, schema, schema, "", operation.path) if schema else None
        if multipart and well_formed is not None:
            for name, prop, _required in properties(document, schema):
                if prop.get("format") == "binary":
                    well_formed[name] = SimpleUploadedFile("file.csv", upload, "text/csv")
        before = snapshot()

        def check(label: str, status: int, answer: Any, field: str | None,
                  operation: Operation = operation) -> None:
            if not 400 <= status < 500 or not error_shape(answer):
                problems.append(f"{operation.label} {label}: {status} {answer!r:.200}")
            elif field is not None and (status != 422 or not names(answer, field)):
                problems.append(f"{operation.label} {label}: {status}, "
                                f"not naming {field}: {answer!r:.300}")

        for parameter in operation.parameters("query"):
            for value, what in bad_values(parameter["schema"], multipart=True):
                covered["bad values"] += 1
                status, answer = caller.send(operation, path, {parameter["name"]: value},
                                             well_formed, multipart)
                check(f"{parameter['name']}={value!r:.40} ({what})", status, answer,
                      parameter["name"])
        if schema:
            arrays = {name for name, prop, _r in properties(document, schema)
                      if prop.get("type") == "array"}
            for name, prop, _required in properties(document, schema):
                if any(name.startswith(f"{a}.") for a in arrays):
                    continue  # a field of the items of a list: reached through the list
                for value, what in bad_values(prop, multipart):
                    covered["bad values"] += 1
                    data = nested(name, value) if not multipart else {name: value}
                    status, answer = caller.send(operation, path, {}, data, multipart)
                    check(f"{name}={value!r:.40} ({what})", status, answer, name)
        if foreign or any(name in RECORDS for name in schema.get("properties", {})):
            covered["foreign ids"] += 1
            status, answer = caller.send(operation, path, {}, well_formed, multipart)
            check(f"ids of another township ({path}, {well_formed!r:.120})", status, answer,
                  None)
        changed = changes(before, snapshot())
        if changed:
            problems.append(f"{operation.label} changed data: {changed}")
    assert problems == [], "\n".join(problems)
    # The snapshot sees a change: the same clerk changes a household of their own township.
    own = Household.objects.filter(area__code__startswith=TOWNSHIP[0], active=True).first()
    assert own is not None
    before = snapshot()
    status, answer = callers[DEFAULT_ROLE].send(
        Operation("patch", "", {}), f"/api/v1/registry/households/{own.pk}", {},
        {"address": "东村9组"}, multipart=False)
    assert status == 200, answer
    assert "registry.Household" in " ".join(changes(before, snapshot()))
    assert covered["operations"] >= 40 and covered["bad values"] >= 300, covered
    assert covered["foreign ids"] >= 30, covered
