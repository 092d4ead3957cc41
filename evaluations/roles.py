"""The appraisal's permissions per role, merged into campaigns.roles by
``all_role_permissions``: the campaign office runs appraisals; supervisors, who sit
on hearing panels and watch the campaign, may read results before publication."""

from campaigns.roles import Role

ROLE_PERMISSIONS = {
    Role.CAMPAIGN_OFFICE: ["evaluations.manage_appraisal", "evaluations.view_appraisal_results"],
    Role.SUPERVISOR: ["evaluations.view_appraisal_results"],
}
