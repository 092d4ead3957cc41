from django.core.management.base import BaseCommand

from complaints.services import complaints_sweep


class Command(BaseCommand):
    help = (
        "Run the complaints' sweep now: accountability cases for complaints past a time limit, closing "
        "replied complaints nobody rated in time, and complainant and staff notices whose task was lost. Safe to run "
        "at any time, alongside the beat-driven sweep."
    )

    def handle(self, *args, **options):
        report = complaints_sweep()
        self.stdout.write(
            f"{report['cases_opened']} accountability case(s) opened, {report['closed']} closed, "
            f"{report['notices']} complainant notice(s) made good, {report['staff_notices']} staff notice(s) made good"
        )
