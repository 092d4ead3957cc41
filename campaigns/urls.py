from django.urls import path

from . import views
from .planning.views import plan_import_view, plan_template_view

app_name = "staff"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("tasks/", views.tasks, name="tasks"),
    path("profile/", views.profile, name="profile"),
    path("plan/import/", plan_import_view, name="plan-import"),
    path("plan/import/template.xlsx", plan_template_view, name="plan-template"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/report/", views.task_report, name="task-report"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task-complete"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task-reopen"),
    path("tasks/<int:pk>/comment/", views.task_comment, name="task-comment"),
    path("assignments/<int:pk>/waive/", views.assignment_waive, name="assignment-waive"),
    path("reports/<int:pk>/attachment/", views.report_attachment, name="report-attachment"),
]
