"""The two reference views of the benchmark (mounted only by settings_bench).

Both go through the whole middleware stack like every page, so a page's ratio
to them says what the page itself costs:

- ``bare``: a few bytes, no database: the framework's ceiling on this machine;
- ``one_row``: one row read through the ORM: the ceiling for any page that
  touches the database.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from campaigns.models import Office


@require_GET
def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


@require_GET
def one_row(request):
    office = Office.objects.only("name").order_by("pk").first()
    return HttpResponse(office.name if office else "", content_type="text/plain; charset=utf-8")
