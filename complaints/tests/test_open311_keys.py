"""Open311 keys: issued by ``manage.py open311_key`` (or the admin), shown once,
stored only as a hash, revoked by prefix."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from complaints.models import Open311Key
from complaints.open311.keys import KeyRefused, key_check, key_create

pytestmark = pytest.mark.django_db

KEY = re.compile(r"cp311_[0-9a-f]{8}_[-A-Za-z0-9_]{40,}")


def run(*args) -> str:
    out = StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_key_once_and_stores_only_its_hash():
    output = run("12345 政务服务便民热线")
    (raw,) = KEY.findall(output)
    key = Open311Key.objects.get()
    assert key.name == "12345 政务服务便民热线"
    assert raw.startswith(f"cp311_{key.prefix}_")
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = " ".join(str(v) for v in Open311Key.objects.values_list().get())
    assert raw not in stored and raw.split("_", 2)[2] not in stored
    assert key_check(raw) == key


def test_each_key_is_different():
    first = KEY.findall(run("system one"))[0]
    second = KEY.findall(run("system two"))[0]
    assert first != second
    assert Open311Key.objects.count() == 2


def test_revoke_by_prefix_stops_the_key():
    raw = KEY.findall(run("12345 hotline"))[0]
    key = Open311Key.objects.get()
    output = run("--revoke", key.prefix)
    assert key.prefix in output
    key.refresh_from_db()
    assert key.revoked_at is not None and not key.is_active
    with pytest.raises(KeyRefused) as excinfo:
        key_check(raw)
    assert excinfo.value.revoked


def test_revoking_twice_keeps_the_first_time():
    key, _raw = key_create(name="12345 hotline")
    run("--revoke", key.prefix)
    first = Open311Key.objects.get().revoked_at
    run("--revoke", key.prefix)
    assert Open311Key.objects.get().revoked_at == first


def test_revoking_an_unknown_prefix_fails_loudly():
    with pytest.raises(CommandError):
        run("--revoke", "00000000")


def test_the_command_needs_a_name():
    with pytest.raises(CommandError):
        run()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),
        lambda raw: raw.upper(),
        lambda raw: "",
        lambda raw: raw.replace("cp311", "xx311"),
    ],
)
def test_only_the_exact_key_is_accepted(mangle):
    key, raw = key_create(name="12345 hotline")
    with pytest.raises(KeyRefused):
        key_check(mangle(raw))
