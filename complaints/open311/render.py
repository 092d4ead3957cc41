"""The two GeoReport v2 formats from one Python structure.

JSON is the "Spark convention" mapping of the XML (wiki.open311.org/JSON_and_XML_Conversion):
a list of ``<request>`` elements under ``<service_requests>`` is a JSON array,
a lone element such as ``<service_definition>`` is a JSON object, empty
elements are ``null``. Both are UTF-8 with the content types the spec names.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
MIME_TYPES = {"json": "application/json", "xml": "text/xml"}

# The element each list holds, by the list's own element name.
ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all, even escaped (complainants paste anything).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, (list, tuple)):
        tag = ITEM_TAGS[element.tag]
        for child in value:
            _fill(ET.SubElement(element, tag), child)
    else:
        element.text = _text(value)


def to_xml(root: str, data) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def to_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def render(fmt: str, root: str, data, *, status: int = 200) -> HttpResponse:
    """``root`` is the XML root element (``services``, ``service_requests``...);
    JSON ignores it."""
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["xml"]))
    # Answers depend on the api_key (and on the language, which LocaleMiddleware adds to Vary).
    response["Cache-Control"] = "private, no-store"
    return response


def errors(fmt: str, status: int, descriptions: Iterable[str], *, code: int | None = None) -> HttpResponse:
    """The spec's error array: ``[{"code": 400, "description": "..."}]``."""
    items = [{"code": code or status, "description": str(text)} for text in descriptions]
    return render(fmt, "errors", items, status=status)
