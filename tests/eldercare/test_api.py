"""/api/v1/eldercare/: a provider's app lists orders and records visits; the county reads
the month's shortfalls."""

from __future__ import annotations

import json

from django.test import Client

from safetynet.accounts.models import User
from safetynet.eldercare.models import ServiceOrder, Visit
from tests.conftest import issue_token


def call(user: User, method: str, path: str, body: dict | None = None, **params: str) -> tuple:
    client = Client()
    headers = {"Authorization": f"Bearer {issue_token(user)}"}
    url = f"/api/v1/eldercare{path}"
    if method == "get":
        response = client.get(url, params, headers=headers)
    else:
        response = client.post(url, json.dumps(body), content_type="application/json",
                               headers=headers)
    return response.status_code, response.json()


def test_worker_app_lists_orders_and_records_a_visit(worker: User,
                                                     order: ServiceOrder) -> None:
    status, orders = call(worker, "get", "/orders", month="2022-08-01")
    assert status == 200 and [o["id"] for o in orders] == [order.pk]
    status, visit = call(worker, "post", f"/orders/{order.pk}/visits", {
        "started_at": "2022-08-10T09:00:00+08:00", "ended_at": "2022-08-10T10:00:00+08:00",
        "items": {"cleaning": 1, "meals": 1}, "confirmation": "self",
        "confirmer_name": "王大爷"})
    assert status == 201 and (visit["minutes"], visit["flags"]) == (60, [])
    assert Visit.objects.count() == 1


def test_bad_visit_answers_422_naming_the_field(worker: User, order: ServiceOrder) -> None:
    status, body = call(worker, "post", f"/orders/{order.pk}/visits", {
        "started_at": "2022-08-10T09:00:00+08:00", "ended_at": "2022-08-10T10:00:00+08:00",
        "items": {}, "confirmation": "self", "confirmer_name": "王大爷"})
    assert status == 422 and body["errors"][0]["field"] == "items"


def test_county_reads_the_shortfalls(officer: User, order: ServiceOrder) -> None:
    status, rows = call(officer, "get", "/compliance", month="2022-08-01")
    assert status == 200
    assert rows[0]["name"] == "王大爷" and rows[0]["reasons"][0] == "no_visit"
