"""Staff appraisal pages at /staff/appraisal/: surveys, invitations, results, hearings."""

from django.urls import path

from .views import staff_hearings as hearings
from .views import staff_invitations as invitations
from .views import staff_results as results
from .views import staff_surveys as surveys

app_name = "evaluations-staff"

urlpatterns = [
    path("", surveys.survey_list, name="surveys"),
    path("new/", surveys.survey_create, name="new"),
    path("<int:pk>/", surveys.survey_detail, name="detail"),
    path("<int:pk>/edit/", surveys.survey_edit, name="edit"),
    path("<int:pk>/groups/", surveys.groups_edit, name="groups"),
    path("<int:pk>/questions/new/", surveys.question_edit, name="question-new"),
    path("<int:pk>/questions/<int:question_pk>/", surveys.question_edit, name="question-edit"),
    path("<int:pk>/questions/<int:question_pk>/delete/", surveys.question_delete, name="question-delete"),
    path("<int:pk>/questions/<int:question_pk>/move/<str:direction>/", surveys.question_move, name="question-move"),
    *(
        path(f"<int:pk>/{action}/", surveys.survey_transition, {"action": action}, name=action)
        for action in ("open", "close", "reopen", "publish", "withdraw")
    ),
    path("<int:pk>/invitations/", invitations.invitations, name="invitations"),
    path("<int:pk>/invitations/print/", invitations.batch_print, name="print-all"),
    path("<int:pk>/invitations/batches/<int:batch_pk>/print/", invitations.batch_print, name="batch-print"),
    path("<int:pk>/invitations/batches/<int:batch_pk>/invitations.xlsx", invitations.batch_xlsx, name="batch-xlsx"),
    path("<int:pk>/invitations/<int:invitation_pk>/note/", invitations.invitation_note, name="invitation-note"),
    path("<int:pk>/invitations/<int:invitation_pk>/revoke/", invitations.invitation_revoke, name="invitation-revoke"),
    path("<int:pk>/results/", results.results, name="results"),
    path("<int:pk>/results.xlsx", results.results_export, name="results-export"),
    path("<int:pk>/answers/", results.answers, name="answers"),
    path("hearings/", hearings.hearing_list, name="hearings"),
    path("hearings/new/", hearings.hearing_edit, name="hearing-new"),
    path("hearings/<int:hearing_pk>/", hearings.hearing_detail, name="hearing"),
    path("hearings/<int:hearing_pk>/edit/", hearings.hearing_edit, name="hearing-edit"),
    path("hearings/<int:hearing_pk>/panel/", hearings.panelist_add, name="panelist-add"),
    path("hearings/<int:hearing_pk>/panel/<int:panelist_pk>/remove/", hearings.panelist_remove, name="panelist-remove"),
    path("hearings/<int:hearing_pk>/questions/", hearings.hearing_question, name="hearing-question-new"),
    path("hearings/<int:hearing_pk>/questions/<int:question_pk>/", hearings.hearing_question, name="hearing-question"),
    path(
        "hearings/<int:hearing_pk>/questions/<int:question_pk>/delete/",
        hearings.hearing_question_delete,
        name="hearing-question-delete",
    ),
    path("hearings/<int:hearing_pk>/poll/", hearings.poll_create, name="poll-create"),
    *(
        path(
            f"hearings/<int:hearing_pk>/{action}/",
            hearings.hearing_transition,
            {"action": action},
            name=f"hearing-{action}",
        )
        for action in ("publish", "withdraw")
    ),
]
