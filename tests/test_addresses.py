"""Ids in addresses: anything that cannot name a row is None, never an exception or an overflow."""
import pytest

from core.addresses import MAX_ID, parse_id
from core.presenter import parse_settings


@pytest.mark.parametrize("value", [None, "", "abc", "-1", "0", "1.5", "99999999999999999999", str(MAX_ID + 1), "١٢", "²", " ", "1e3", "0x10"])
def test_what_cannot_be_an_id_is_none(value):
    assert parse_id(value) is None


@pytest.mark.parametrize("value, number", [("1", 1), (" 42 ", 42), ("007", 7), (str(MAX_ID), MAX_ID)])
def test_ids_are_read(value, number):
    assert parse_id(value) == number


def test_the_presenter_ignores_a_snapshot_no_database_could_hold():
    assert parse_settings({"snapshot": "99999999999999999999"}).snapshot is None
