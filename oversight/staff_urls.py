"""Staff pages, included at /staff/ next to the campaigns app's ("", profile/, tasks/…,
assignments/…, reports/…): every path here starts with a word of its own."""

from django.urls import path

from .views import bulletins, dashboard, deliverables, disclosure, ledgers, reports, summary

app_name = "oversight-staff"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/office/", dashboard.office_dashboard, name="office-dashboard"),
    path("deliverables/", deliverables.matrix, name="deliverables"),
    path("deliverables/mine/", deliverables.mine, name="deliverables-mine"),
    path("deliverables/<int:pk>/office/<int:office_pk>/", deliverables.cell, name="deliverable-cell"),
    path("deliverables/<int:pk>/upload/", deliverables.upload, name="deliverable-upload"),
    path("deliverables/versions/<int:pk>/review/", deliverables.review, name="submission-review"),
    path("deliverables/versions/<int:pk>/file/", deliverables.download, name="submission-file"),
    path("ledgers/", ledgers.index, name="ledgers"),
    path("ledgers/<slug:key>.xlsx", ledgers.export, name="ledger-export"),
    path("ledgers/exports/<int:pk>/", ledgers.export_download, name="export-download"),
    path("bulletins/", bulletins.index, name="bulletins"),
    path("bulletins/new/", bulletins.new, name="bulletin-new"),
    path("bulletins/<int:pk>/", bulletins.detail, name="bulletin-detail"),
    path("bulletins/<int:pk>/edit/", bulletins.edit, name="bulletin-edit"),
    path("bulletins/<int:pk>/publish/", bulletins.publish, name="bulletin-publish"),
    path("disclosure/", disclosure.index, name="disclosure"),
    path("disclosure/<int:pk>/", disclosure.detail, name="disclosure-detail"),
    path("disclosure/<int:pk>/publish/", disclosure.publish, name="disclosure-publish"),
    path("disclosure/<int:pk>/discard/", disclosure.discard, name="disclosure-discard"),
    path("level-reports/", reports.index, name="level-reports"),
    path("level-reports/send/", reports.send, name="level-report-send"),
    path("level-reports/<int:pk>/", reports.detail, name="level-report"),
    path("summary/", summary.summary, name="summary"),
    path("summary/pdf/", summary.summary_pdf_view, name="summary-pdf"),
]
