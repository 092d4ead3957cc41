from django.urls import path

from .staff_views import actions, cases, detail, intake, queue

app_name = "complaints-staff"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("export.xlsx", queue.export, name="export"),
    path("mine/", queue.mine, name="mine"),
    path("new/", intake.new, name="new"),
    path("new/done/", intake.submitted, name="submitted"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/identity/", detail.identity, name="identity"),
    path("<int:pk>/accept/", actions.accept, name="accept"),
    path("<int:pk>/not-accept/", actions.not_accept, name="not-accept"),
    path("<int:pk>/transfer/", actions.transfer, name="transfer"),
    path("<int:pk>/transfer/accept/", actions.transfer_accept, name="transfer-accept"),
    path("<int:pk>/transfer/refuse/", actions.transfer_refuse, name="transfer-refuse"),
    path("<int:pk>/investigate/", actions.start_investigation, name="start"),
    path("<int:pk>/request-info/", actions.request_info, name="request-info"),
    path("<int:pk>/reply/", actions.reply, name="reply"),
    path("<int:pk>/callback/", actions.callback, name="callback"),
    path("<int:pk>/close/", actions.close, name="close"),
    path("<int:pk>/publish/", actions.publish, name="publish"),
    path("<int:pk>/escalate/", actions.escalate, name="escalate"),
    path("<int:pk>/take-over/", actions.take_over, name="take-over"),
    path("attachments/<int:pk>/", detail.attachment, name="attachment"),
    path("cases/", cases.cases, name="cases"),
    path("cases/export.xlsx", cases.cases_export, name="cases-export"),
    path("cases/<int:pk>/decide/", cases.case_decide, name="case-decide"),
]
