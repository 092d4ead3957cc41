"""What the API says about services and complaints, as plain dicts in the
spec's field order. The rules about who sees what live here, in one place:

- anybody: the status fields of a complaint (its number, open/closed, the public
  status label, the type, who is handling it, and its dates);
- the system whose key filed a complaint: also what it sent, the description and
  the location;
- nobody: the complainant's name, phone, e-mail or IP address, internal notes,
  the findings, the reply, or the office complained about unless it filed it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Office
from complaints import rules
from complaints.models import Complaint, ProblemType

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
REQUEST_STATUSES = ("open", "closed")

# The attribute codes of every service definition (attribute[<code>]=... on POST).
OFFICE, REAL_NAME, OCCURRED_ON = "office", "real_name", "occurred_on"


def w3c(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset of the portal's time zone, e.g. 2025-03-01T09:30:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def request_status(complaint: Complaint) -> str:
    return "open" if complaint.status in rules.OPEN else "closed"


# --- Services -----------------------------------------------------------------------
def _keywords(problem_type: ProblemType) -> str:
    names = [problem_type.name, problem_type.name_zh_hant, problem_type.name_en, problem_type.code]
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return ", ".join(seen)


def service(problem_type: ProblemType) -> dict:
    return {
        "service_code": problem_type.code,
        "service_name": problem_type.display_name,
        "description": problem_type.description or problem_type.display_name,
        # Every type takes the office and the real-name choice: see service_definition.
        "metadata": True,
        "type": "realtime",
        "keywords": _keywords(problem_type),
        "group": _("Corruption and abuse of office") if problem_type.is_corruption else _("Administrative efficiency"),
    }


def service_definition(problem_type: ProblemType, offices: list[Office]) -> dict:
    return {
        "service_code": problem_type.code,
        "attributes": [
            {
                "variable": True,
                "code": OFFICE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "The key of one office from the list; leave it out when the complainant is not sure."
                ),
                "order": 1,
                "description": _("Which office is the complaint about?"),
                "values": [{"key": office.pk, "name": office.name} for office in offices],
            },
            {
                "variable": True,
                "code": REAL_NAME,
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _(
                    "true: a real-name complaint, send first_name and last_name (it may earn a reward); "
                    "false: anonymous, send no name and no phone."
                ),
                "order": 2,
                "description": _("Does the complainant give their real name?"),
                "values": [
                    {"key": "true", "name": _("Real name")},
                    {"key": "false", "name": _("Anonymous")},
                ],
            },
            {
                "variable": True,
                "code": OCCURRED_ON,
                "datatype": "datetime",
                "required": False,
                "datatype_description": _(
                    "An ISO 8601 date or date and time, e.g. 2025-03-01 or 2025-03-01T09:30:00+08:00."
                ),
                "order": 3,
                "description": _("When did it happen?"),
                "values": [],
            },
        ],
    }


# --- Service requests (complaints) ---------------------------------------------------
def service_request(complaint: Complaint, *, key_id: int | None) -> dict:
    """One complaint for the caller holding ``key_id`` (None: no key).

    Needs ``problem_type`` and ``handling_office`` selected with the complaint."""
    filed_by_caller = key_id is not None and complaint.open311_key_id == key_id
    closed = request_status(complaint) == "closed"
    data: dict[str, object] = {
        "service_request_id": complaint.tracking_number,
        "status": request_status(complaint),
        # The public status label only: never the reason, the findings or an internal note.
        "status_notes": complaint.public_status,
        "service_name": complaint.problem_type.display_name,
        "service_code": complaint.problem_type.code,
    }
    if filed_by_caller:
        data["description"] = complaint.description
    data["agency_responsible"] = complaint.handling_office.name if complaint.handling_office else _("Complaint centre")
    data["requested_datetime"] = w3c(complaint.created_at)
    data["updated_datetime"] = w3c(complaint.closed_at if closed and complaint.closed_at else complaint.updated_at)
    data["expected_datetime"] = w3c(end_of_day(complaint.complete_due))
    if filed_by_caller:
        data["address"] = complaint.location or None
        data["address_id"] = complaint.office_id
    return data


def created(complaint: Complaint, *, duplicate: bool, emailed: bool) -> dict:
    if duplicate:
        notice = _(
            "The same complaint from your system was registered a few minutes ago as %(number)s; "
            "no second one was made."
        ) % {"number": complaint.tracking_number}
    else:
        notice = _(
            "Registered. The complaint centre will decide by %(accept_due)s whether to accept it, "
            "and handling is due by %(complete_due)s."
        ) % {"accept_due": complaint.accept_due.isoformat(), "complete_due": complaint.complete_due.isoformat()}
        if emailed:
            notice += " " + _("The complainant's access code is being sent to the e-mail address given.")
    return {"service_request_id": complaint.tracking_number, "service_notice": notice, "account_id": None}
