"""The exchange services called directly: ``receive`` answers or refuses a message;
``complete_search`` is the worker's half of an asynchronous search."""

from __future__ import annotations

import pytest

from safetynet.dci import services_exchange
from safetynet.dci.envelope import DciError
from safetynet.dci.models import Delivery, Transaction, TxnStatus
from tests.dci.conftest import body, search_message

ASYNC = services_exchange.OPERATIONS["search"]


def test_receive_keeps_the_search_values_only_until_answered(partner, people) -> None:
    message = search_message("idtype-value", {"type": "UIN", "value": people["adult_id"]})
    outcome = services_exchange.receive(ASYNC, partner, body("search", message, ASYNC.path))
    txn = Transaction.objects.get(pk=outcome.search_to_run)
    assert txn.status == TxnStatus.PENDING and outcome.http_status == 202
    done = services_exchange.complete_search(txn.pk)
    assert done.status == TxnStatus.SUCCEEDED and "message" not in done.request
    assert people["adult_id"] not in str(done.request)
    answer = Delivery.objects.get(action="on-search").payload["message"]
    assert answer["search_response"][0]["pagination"]["total_count"] == 1
    assert services_exchange.complete_search(txn.pk).completed_at == done.completed_at
    assert Delivery.objects.filter(action="on-search").count() == 1


def test_receive_refuses_a_message_for_another_action(partner) -> None:
    message = body("search", search_message("idtype-value", {"type": "UIN", "value": "1"}),
                   ASYNC.path)
    message["header"]["action"] = "subscribe"
    with pytest.raises(DciError) as refused:
        services_exchange.receive(ASYNC, partner, message)
    assert refused.value.code == "err.request.bad"
    assert refused.value.message.startswith("header.action")
    assert not Transaction.objects.exists()
