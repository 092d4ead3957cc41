"""Open311 GeoReport v2: discovery, the service list and service definitions,
in both formats, with the spec's element names (wiki.open311.org/GeoReport_v2)."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from campaigns.tests.factories import OfficeFactory
from complaints.models import ProblemType

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


def url(name, fmt, **kwargs):
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


def xml_of(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


# --- Discovery --------------------------------------------------------------------
def test_discovery_lists_the_v2_endpoint_with_both_formats_in_json(client):
    data = json_of(client.get(url("discovery", "json")))
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    assert data["contact"] and data["key_service"]
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] in ("production", "test")
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_in_xml_uses_the_spec_elements(client):
    root = xml_of(client.get(url("discovery", "xml")))
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_discovery_changeset_moves_when_a_service_changes(client):
    before = json_of(client.get(url("discovery", "json")))["changeset"]
    ProblemType.objects.filter(code="attitude").update(updated_at="2099-01-01T00:00:00+08:00")
    after = json_of(client.get(url("discovery", "json")))["changeset"]
    assert after == "2099-01-01T00:00:00+08:00" != before


def test_the_root_of_the_api_leads_to_discovery(client):
    response = client.get("/open311/v2/")
    assert response.status_code == 302 and response["Location"].endswith("/open311/v2/discovery.xml")


# --- GET Service List ----------------------------------------------------------------
def test_services_are_the_active_problem_types_in_json(client):
    ProblemType.objects.filter(code="other").update(is_active=False)
    services = json_of(client.get(url("services", "json"), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert isinstance(services, list)
    assert [s["service_code"] for s in services] == list(
        ProblemType.objects.filter(is_active=True).order_by("order").values_list("code", flat=True)
    )
    assert "other" not in [s["service_code"] for s in services]
    attitude = next(s for s in services if s["service_code"] == "attitude")
    assert list(attitude) == SERVICE_FIELDS
    assert attitude["metadata"] is True and attitude["type"] == "realtime"
    assert attitude["service_name"] == "服务态度差"
    assert "Poor service attitude" in attitude["keywords"] and "服務態度差" in attitude["keywords"]


def test_service_names_follow_the_language_asked_for(client):
    services = json_of(client.get(url("services", "json"), HTTP_ACCEPT_LANGUAGE="en"))
    assert next(s for s in services if s["service_code"] == "attitude")["service_name"] == "Poor service attitude"


def test_services_in_xml_are_service_elements_with_the_spec_fields(client):
    root = xml_of(client.get(url("services", "xml")))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == ProblemType.objects.filter(is_active=True).count()
    assert [child.tag for child in services[0]] == SERVICE_FIELDS
    assert services[0].findtext("metadata") == "true"
    assert services[0].findtext("type") == "realtime"


# --- GET Service Definition ---------------------------------------------------------
def test_service_definition_offers_the_office_the_real_name_choice_and_the_date_in_json(client, office_a, office_b):
    closed = OfficeFactory(name="已撤销的办公室", is_active=False)
    definition = json_of(client.get(url("service", "json", service_code="attitude")))
    assert isinstance(definition, dict)  # the spec's one <service_definition>, not a list
    assert definition["service_code"] == "attitude"
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert list(attributes) == ["office", "real_name", "occurred_on"]
    for attribute in definition["attributes"]:
        assert list(attribute) == ATTRIBUTE_FIELDS
        assert attribute["variable"] is True
    office = attributes["office"]
    assert office["datatype"] == "singlevaluelist" and office["required"] is False
    offered = {v["key"]: v["name"] for v in office["values"]}
    assert offered[office_a.pk] == office_a.name and offered[office_b.pk] == office_b.name
    assert closed.pk not in offered
    real_name = attributes["real_name"]
    assert real_name["datatype"] == "singlevaluelist" and real_name["required"] is True
    assert [v["key"] for v in real_name["values"]] == ["true", "false"]
    assert attributes["occurred_on"]["datatype"] == "datetime" and attributes["occurred_on"]["required"] is False
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3]


def test_service_definition_in_xml_nests_attributes_and_values(client, office_a):
    root = xml_of(client.get(url("service", "xml", service_code="attitude")))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "attitude"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["office", "real_name", "occurred_on"]
    assert [child.tag for child in attributes[0]] == ATTRIBUTE_FIELDS
    values = attributes[0].findall("values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [(str(office_a.pk), office_a.name)]
    assert attributes[1].findtext("required") == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_or_inactive_service_code_is_404_with_the_error_array(client, fmt):
    ProblemType.objects.filter(code="other").update(is_active=False)
    for code in ("no-such-type", "other"):
        response = client.get(url("service", fmt, service_code=code))
        assert response.status_code == 404
        if fmt == "json":
            (error,) = json_of(response)
            assert error["code"] == 404 and code in error["description"]
        else:
            root = xml_of(response)
            assert root.tag == "errors"
            assert root.find("error/code").text == "404"


def test_a_format_other_than_xml_or_json_is_an_open311_404(client):
    response = client.get("/open311/v2/services.csv")
    assert response.status_code == 404
    assert xml_of(response).tag == "errors"


def test_services_answer_only_get(client):
    response = client.post(url("services", "json"))
    assert response.status_code == 405
    assert json_of(response)[0]["code"] == 405


@pytest.mark.parametrize("n", [5, 50])
def test_service_list_query_budget(client, n, django_assert_num_queries):
    for i in range(n):
        ProblemType.objects.create(code=f"budget{i}", name=f"类型{i}", order=100 + i)
    # 1 query: the active problem types in their order (no session, no header)
    with django_assert_num_queries(1):
        services = json_of(client.get(url("services", "json")))
    assert len(services) == ProblemType.objects.filter(is_active=True).count()
