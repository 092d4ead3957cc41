from django.core.management.base import BaseCommand

from notifications.services import run_sweep


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now and send what is due in this process. Safe to run at any time, "
        "as often as you like, alongside the beat-driven sweep: every notice goes out once."
    )

    def handle(self, *args, **options):
        report = run_sweep(inline=True)
        cases = report["complaints"]
        self.stdout.write(f"complaints: {cases['cases_opened']} accountability case(s) opened, {cases['closed']} closed")
        if report["created"]:
            for (kind, step), count in sorted(report["created"].items()):
                self.stdout.write(f"{kind:<20} {step:<12} {count}")
        else:
            self.stdout.write("no reminders were due")
        self.stdout.write(f"complainant notices: {report['complaint_notices']}")
        self.stdout.write(f"sent now: {report['sent']} of {report['dispatched']} waiting")
