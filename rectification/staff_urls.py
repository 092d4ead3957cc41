from django.urls import path

from .staff_views import commitments, overview, plans, problems, queues

app_name = "rectification-staff"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("problems/", problems.problems, name="problems"),
    path("problems/new/", problems.problem_new, name="problem-new"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem-detail"),
    path("complaints/", problems.complaint_candidates, name="complaints"),
    path("complaints/<int:pk>/record/", problems.record_complaint, name="record-complaint"),
    path("plan/", plans.my_plan, name="my-plan"),
    path("plans/", plans.plans, name="plans"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan-return"),
    path("plans/<int:pk>/commitments/new/", plans.commitment_new, name="commitment-new"),
    path("commitments/", commitments.commitments, name="commitments"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment-detail"),
    path("commitments/<int:pk>/edit/", commitments.commitment_edit, name="commitment-edit"),
    path("commitments/<int:pk>/delete/", commitments.commitment_delete, name="commitment-delete"),
    path("commitments/<int:pk>/publish/", commitments.commitment_publish, name="commitment-publish"),
    path("commitments/<int:pk>/progress/", commitments.commitment_progress, name="commitment-progress"),
    path("commitments/<int:pk>/complete/", commitments.commitment_complete, name="commitment-complete"),
    path("commitments/<int:pk>/verify/", commitments.commitment_verify, name="commitment-verify"),
    path("commitments/<int:pk>/send-back/", commitments.commitment_send_back, name="commitment-send-back"),
    path("commitments/<int:pk>/flag/", commitments.commitment_flag, name="commitment-flag"),
    path("commitments/<int:pk>/lookback/", commitments.commitment_lookback, name="commitment-lookback"),
    path("evidence/<int:pk>/", commitments.evidence, name="evidence"),
    path("verification/", queues.verification, name="verification"),
    path("moderation/", queues.moderation, name="moderation"),
    path("moderation/<int:pk>/", queues.moderate, name="moderate"),
    path("lookback/", queues.lookback_queue, name="lookback"),
    path("results/", queues.results, name="results"),
]
