"""Rectification's permissions for each role; merged by campaigns.roles.all_role_permissions."""

from campaigns.roles import Role

ROLE_PERMISSIONS = {
    Role.CAMPAIGN_OFFICE: [
        "rectification.coordinate_rectification",
        "rectification.view_all_rectification",
    ],
    Role.OFFICE_STAFF: ["rectification.work_on_rectification"],
    Role.OFFICE_HEAD: ["rectification.work_on_rectification"],
    Role.SUPERVISOR: ["rectification.flag_commitment"],
}
