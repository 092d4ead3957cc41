import logging

from django.core.management.base import BaseCommand

from notifications.models import Notification
from notifications.services import run_sweep
from notifications.services.delivery import describe


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now and send what is due in this process. Safe to run at any time, "
        "as often as you like, alongside the beat-driven sweep: every notice goes out once."
    )

    def handle(self, *args, **options):
        # Delivery logs each notice it sends; here the command's own line says it once.
        delivery_log = logging.getLogger("notifications.services.delivery")
        level = delivery_log.level
        delivery_log.setLevel(logging.WARNING)
        try:
            report = run_sweep(inline=True)
        finally:
            delivery_log.setLevel(level)
        # One line per notice sent; the mails themselves are in the mail backend's
        # files (var/mail/ with DEBUG on), not in this output.
        sent = Notification.objects.filter(pk__in=report["sent_ids"]).select_related("recipient").order_by("pk")
        for notice in sent:
            self.stdout.write(f"sent to {describe(notice)}")
        if report["created"]:
            for (kind, step), count in sorted(report["created"].items()):
                self.stdout.write(f"{kind:<20} {step:<12} {count}")
        else:
            self.stdout.write("no reminders were due")
        self.stdout.write(f"sent now: {report['sent']} of {report['dispatched']} waiting")
