"""Per-address limits on the public pages: looking never counts, each address has its own count."""

import uuid

import pytest

from kernel.ratelimit import attempt_limited, count_attempt, limit_reached


@pytest.fixture
def group():
    return f"test:{uuid.uuid4().hex}"  # a count of its own, whatever other tests left in the cache


def _request(rf, ip="198.51.100.7"):
    return rf.post("/", REMOTE_ADDR=ip)


def test_looking_does_not_use_up_an_attempt(rf, group):
    request = _request(rf)
    for _ in range(5):
        assert not limit_reached(request, group, "2/h")


def test_the_limit_is_reached_after_the_counted_attempts(rf, group):
    request = _request(rf)
    count_attempt(request, group, "2/h")
    assert not limit_reached(request, group, "2/h")
    count_attempt(request, group, "2/h")
    assert limit_reached(request, group, "2/h")


def test_each_address_has_its_own_count(rf, group):
    count_attempt(_request(rf), group, "1/h")
    assert limit_reached(_request(rf), group, "1/h")
    assert not limit_reached(_request(rf, "203.0.113.9"), group, "1/h")


def test_attempt_limited_counts_each_call_and_refuses_the_one_too_many(rf, group):
    request = _request(rf)
    assert [attempt_limited(request, group, "2/h") for _ in range(3)] == [False, False, True]
    assert not attempt_limited(_request(rf, "203.0.113.9"), group, "2/h")


def test_groups_are_counted_apart(rf, group):
    count_attempt(_request(rf), group, "1/h")
    assert not limit_reached(_request(rf), group + ":other", "1/h")
