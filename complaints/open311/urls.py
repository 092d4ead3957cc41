"""/open311/v2/: every GeoReport v2 resource with a ``.xml`` or ``.json`` suffix."""

from django.urls import path, re_path, register_converter

from . import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class IdConverter:
    """Service codes, tracking numbers (TS-2025-000001) and tokens: no dots, so
    the format suffix is never swallowed."""

    regex = "[-A-Za-z0-9_]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "open311_fmt")
register_converter(IdConverter, "open311_id")

app_name = "open311"

urlpatterns = [
    path("", views.root, name="root"),
    path("discovery.<open311_fmt:fmt>", views.discovery, name="discovery"),
    path("services.<open311_fmt:fmt>", views.service_list, name="services"),
    path("services/<open311_id:service_code>.<open311_fmt:fmt>", views.service_definition, name="service"),
    path("requests.<open311_fmt:fmt>", views.service_requests, name="requests"),
    path(
        "requests/<open311_id:service_request_id>.<open311_fmt:fmt>",
        views.service_request_detail,
        name="request",
    ),
    path("tokens/<open311_id:token>.<open311_fmt:fmt>", views.token, name="token"),
    re_path(r"^.+$", views.not_found),
]
