"""Access codes are stored as a keyed, salted HMAC: cheap to check, useless
without the server's key, and still valid after a key rotation with fallbacks."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from complaints import codes, selectors, services
from complaints.tests.factories import submit

CODE = "ABCDE-FGHJK"


def test_stored_code_is_a_salted_hmac_without_the_code():
    first, second = codes.hash_code(CODE), codes.hash_code(CODE)
    assert first.startswith("hmac-sha256$") and CODE not in first
    assert first != second, "a salt per complaint: equal codes are not equal rows"
    assert codes.code_matches(CODE, first) and codes.code_matches(CODE, second)
    assert not codes.code_matches("ABCDE-FGHJL", first)
    assert not codes.code_matches(CODE, "")


def test_code_does_not_match_under_another_key():
    stored = codes.hash_code(CODE)
    with override_settings(SECRET_KEY="another-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
        assert not codes.code_matches(CODE, stored)


def test_codes_survive_a_key_rotation_with_the_old_key_in_the_fallbacks(settings):
    stored = codes.hash_code(CODE)
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="rotated-key-" + "y" * 50, SECRET_KEY_FALLBACKS=[old]):
        assert codes.code_matches(CODE, stored)


def test_codes_stored_with_the_password_hasher_still_match():
    legacy = make_password(CODE)
    assert codes.code_matches(CODE, legacy)
    assert not codes.code_matches("ABCDE-FGHJL", legacy)


@pytest.mark.django_db
def test_submitting_and_unlocking_never_run_the_password_hasher(office_a, monkeypatch):
    """The regression behind docs/benchmarks.md: Argon2 cost 0.2 s per complaint
    and per lookup, which held the public form to a few requests per second."""

    def refuse(*args, **kwargs):
        raise AssertionError("the slow password hasher ran for an access code")

    monkeypatch.setattr("django.contrib.auth.hashers.make_password", refuse)
    monkeypatch.setattr("complaints.codes.check_password", refuse)
    complaint, code = submit(office=office_a)
    assert complaint.access_code_hash.startswith("hmac-sha256$")
    assert selectors.complaint_unlock(tracking_number=complaint.tracking_number, access_code=code) == complaint
    assert selectors.complaint_unlock(tracking_number=complaint.tracking_number, access_code="AAAAA-BBBBB") is None
    assert selectors.complaint_unlock(tracking_number="TS-1999-000001", access_code=code) is None
    assert services.access_code_matches(complaint, code.lower())
