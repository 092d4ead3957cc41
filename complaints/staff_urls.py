from django.urls import path

from . import staff_views as views

app_name = "complaints-staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.xlsx", views.export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("new/done/", views.submitted, name="submitted"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/identity/", views.identity, name="identity"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/not-accept/", views.not_accept, name="not-accept"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/transfer/accept/", views.transfer_accept, name="transfer-accept"),
    path("<int:pk>/transfer/refuse/", views.transfer_refuse, name="transfer-refuse"),
    path("<int:pk>/investigate/", views.start_investigation, name="start"),
    path("<int:pk>/request-info/", views.request_info, name="request-info"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/callback/", views.callback, name="callback"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("cases/", views.cases, name="cases"),
    path("cases/export.xlsx", views.cases_export, name="cases-export"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case-decide"),
]
