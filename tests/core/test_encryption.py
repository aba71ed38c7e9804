"""ID, card and phone numbers are encrypted at rest and still found by a blind index."""

import json

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from safetynet.core import crypto
from safetynet.registry.models import Household, Person
from tests.conftest import make_household

ID = "320722199001010019"


@pytest.fixture
def keyfile(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("SAFETYNET_DATA_KEYS", raising=False)
    monkeypatch.delenv("SAFETYNET_INDEX_KEY", raising=False)
    settings.VAR_DIR = tmp_path
    crypto.reset_cache()
    yield tmp_path / "keys.json"
    crypto.reset_cache()


def _raw(column: str, table: str = "registry_person") -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_database_holds_ciphertext_only(keyfile, clerk) -> None:
    make_household(clerk, id_number=ID, phone="13912345678")
    stored = _raw("id_number")
    assert stored and all(v.startswith("v1:k1:") for v in stored)
    assert ID not in json.dumps(_raw("id_number")) and "13912345678" not in json.dumps(
        _raw("phone"))
    assert Person.objects.get().id_number == ID


def test_exact_and_in_lookups_use_the_blind_index(keyfile, clerk) -> None:
    make_household(clerk, id_number=ID, phone="13912345678")
    assert Person.objects.filter(id_number=ID).count() == 1
    assert Person.objects.filter(id_number__in=[ID, "x"]).count() == 1
    assert Person.objects.filter(phone="13912345678").count() == 1
    assert Person.objects.filter(id_number="320722201003150023").count() == 0
    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number__startswith="3207"))


def test_the_database_refuses_a_second_copy_of_an_id_number(keyfile, clerk) -> None:
    household = make_household(clerk, id_number=ID)
    twin = Person(household=household, area=household.area, name="影子", id_number=ID,
                  sex="M", birth_date="1990-01-01", relation="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_rotation_reencrypts_everything_and_drops_the_old_key(keyfile, clerk) -> None:
    make_household(clerk, id_number=ID, phone="13912345678", members=2)
    call_command("keys", "rotate")
    assert all(v.startswith("v1:k2:") for v in _raw("id_number"))
    assert json.loads(keyfile.read_text())["data_keys"][0].startswith("k2:")
    assert len(json.loads(keyfile.read_text())["data_keys"]) == 1
    assert Person.objects.get(id_number=ID).phone == "13912345678"


def test_index_key_rotation_keeps_lookups_working(keyfile, clerk) -> None:
    make_household(clerk, id_number=ID)
    before = _raw("id_number_index")
    call_command("keys", "rotate", "--index")
    assert _raw("id_number_index") != before
    assert Person.objects.filter(id_number=ID).exists()


def test_history_rows_are_encrypted_too(keyfile, clerk) -> None:
    make_household(clerk, id_number=ID)
    assert all(v.startswith("v1:") for v in _raw("id_number", "registry_historicalperson"))
    assert Household.objects.count() == 1


def test_production_needs_keys_from_the_environment(keyfile, settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(crypto.KeyError_):
        crypto.keyring()
