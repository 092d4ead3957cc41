"""The demo shared by read-only browser tests (tests/shared_demo.py) never leaks into
another test, and a sharing test that changes it is caught."""

from types import SimpleNamespace

import pytest

import conftest as root_conftest
from campaigns.models import Office
from tests import shared_demo


@pytest.fixture
def pretend_loaded(monkeypatch):
    """As if this process had loaded the shared demo: the counts of the database as it is."""
    monkeypatch.setattr(shared_demo, "_loaded", {"users": {}, "files": {}, "counts": shared_demo._row_counts()})


def test_a_sharing_test_that_adds_a_row_is_named(transactional_db, pretend_loaded):
    assert shared_demo.changes() == []
    Office.objects.create(name="新增单位")
    assert shared_demo.changes() == [f"{Office._meta.db_table}: 0 → 1"]


def test_logging_in_is_reading(transactional_db, pretend_loaded, client, django_user_model):
    django_user_model.objects.create_user("reader", password="pw-Reader-2026")
    shared_demo._loaded["counts"] = shared_demo._row_counts()
    client.post("/accounts/login/", {"username": "reader", "password": "pw-Reader-2026"})
    assert client.session.session_key
    assert shared_demo.changes() == []


def test_a_test_after_the_sharing_ones_starts_on_an_empty_database(transactional_db, pretend_loaded, request):
    Office.objects.create(name="上一个测试留下的单位")
    item = SimpleNamespace(fixturenames=["db"], config=request.config)
    root_conftest.pytest_runtest_setup(item)
    assert not Office.objects.exists()
    assert not shared_demo.is_loaded()


def test_a_sharing_test_keeps_the_demo(transactional_db, pretend_loaded, request):
    Office.objects.create(name="共用演示数据的单位")
    item = SimpleNamespace(fixturenames=[shared_demo.FIXTURE], config=request.config)
    root_conftest.pytest_runtest_setup(item)
    assert Office.objects.exists()
    assert shared_demo.is_loaded()


def test_the_sharing_tests_run_last_in_their_order():
    items = [
        SimpleNamespace(name=n, fixturenames=f, path=f"/x/{n}.py", add_marker=lambda m: None)
        for n, f in [
            ("a", ["demo"]),
            ("b", ["db"]),
            ("c", ["demo", "page"]),
            ("d", ["own_demo"]),
        ]
    ]
    root_conftest.pytest_collection_modifyitems(None, items)
    assert [item.name for item in items] == ["b", "d", "a", "c"]
