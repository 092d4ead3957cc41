"""Every Open311 error is the spec's error document, in the format asked for:
400 for arguments the portal cannot store, 405 for a method an endpoint does not
take (never Django's CSRF page: the API has no session), 500 as a document too."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from complaints.open311.keys import key_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    # As an integrating system calls it: no session, no CSRF token, CSRF checked.
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def form(office_a):
    _key, raw = key_create(name="12345 政务服务便民热线")
    return {
        "api_key": raw,
        "service_code": "attitude",
        "attribute[office]": str(office_a.pk),
        "attribute[real_name]": "true",
        "first_name": "娜娜",
        "last_name": "欧阳",
        "phone": "13912345678",
        "email": "nana.ouyang@example.org",
        "description": "办证窗口工作人员态度恶劣，多次推诿不予办理。",
        "address_string": "市政务服务中心二楼",
    }


def error_document(response, fmt: str) -> list[dict]:
    """The spec's error array, in either format; fails on anything else."""
    assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml"), response[
        "Content-Type"
    ]
    if fmt == "json":
        body = json.loads(response.content)
        assert isinstance(body, list) and all(set(item) == {"code", "description"} for item in body)
        return body
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    return [{"code": int(e.findtext("code", "")), "description": e.findtext("description")} for e in root]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "changes, field",
    [
        ({"first_name": "娜" * 81, "last_name": ""}, "first_name/last_name"),
        ({"first_name": "N" * 60, "last_name": "O" * 60}, "first_name/last_name"),
        ({"email": "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.org"}, "email"),
        ({"phone": "+86 " + "1" * 30}, "phone"),
    ],
)
def test_values_too_long_to_store_are_a_400_error_document(api, form, fmt, changes, field):
    response = api.post(reverse("open311:requests", kwargs={"fmt": fmt}), {**form, **changes})

    assert response.status_code == 400, response.content[:300]
    (error,) = error_document(response, fmt)
    assert error["code"] == 400 and error["description"].startswith(f"{field}:")
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_nul_character_in_an_argument_is_a_400_error_document(api, form, fmt):
    # PostgreSQL refuses NUL in text: it was a 500 on reading and on writing.
    created = api.post(reverse("open311:requests", kwargs={"fmt": fmt}), {**form, "description": "态度恶劣\x00推诿"})
    read = api.get(reverse("open311:requests", kwargs={"fmt": fmt}), {"service_request_id": "TS-2026-0\x00"})

    for response in (created, read):
        assert response.status_code == 400
        assert error_document(response, fmt)[0]["code"] == 400
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("name", ["discovery", "services"])
def test_post_to_a_read_only_endpoint_is_a_405_error_document_not_a_csrf_page(api, fmt, name):
    response = api.post(reverse(f"open311:{name}", kwargs={"fmt": fmt}), {"x": "1"})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert error_document(response, fmt)[0]["code"] == 405


def test_post_to_a_resource_that_does_not_exist_is_a_404_error_document(api):
    response = api.post("/open311/v2/requests.csv", {"x": "1"})

    assert response.status_code == 404
    assert error_document(response, "xml")[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_request_too_large_to_read_is_a_400_error_document(api, form, fmt, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    fields = {**form, **{f"attribute[x{n}]": "1" for n in range(30)}}

    response = api.post(reverse("open311:requests", kwargs={"fmt": fmt}), fields)

    assert response.status_code == 400
    assert error_document(response, fmt)[0]["code"] == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unexpected_failure_is_a_500_error_document_and_is_reported(form, fmt, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(services, "complaint_submit", broken)
    api = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = api.post(reverse("open311:requests", kwargs={"fmt": fmt}), form)

    assert response.status_code == 500
    (error,) = error_document(response, fmt)
    assert error["code"] == 500 and "database fell over" not in error["description"]
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)
