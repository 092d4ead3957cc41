"""The oversight permissions each role carries; campaigns.roles merges them in."""

from campaigns.roles import Role

ROLE_PERMISSIONS = {
    Role.CAMPAIGN_OFFICE: [
        "oversight.view_dashboard",
        "oversight.review_deliverables",
        # The campaign office is an office too: a deliverable may apply to it.
        "oversight.submit_deliverables",
        "oversight.manage_bulletins",
        "oversight.publish_disclosure",
        "oversight.send_level_reports",
    ],
    # Read-mostly: the dashboard, the matrix and the summary, no decisions.
    Role.SUPERVISOR: ["oversight.view_dashboard"],
    Role.OFFICE_STAFF: ["oversight.submit_deliverables"],
    Role.OFFICE_HEAD: ["oversight.submit_deliverables"],
}
