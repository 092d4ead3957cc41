import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.demo import load_all


class Command(BaseCommand):
    help = "Load the demo campaign (seed 000, the high-tech zone plan) and one demo user per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="Lay the demo out as if today were this date (default: today). Tests use it for a fixed calendar.",
        )
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Do not list the demo users at the end (make run lists them last, when the server is ready).",
        )

    def handle(self, *args, **options):
        today = options["today"]
        summary = load_all(today=today)
        for app, added in summary["added"].items():
            if added:
                self.stdout.write(_("%(app)s: added %(n)d demo records.") % {"app": app, "n": added})
        campaign = summary["campaign"]
        if summary["created"]:
            self.stdout.write(self.style.SUCCESS(_("Created the demo campaign “%(name)s”.") % {"name": campaign.name}))
        else:
            self.stdout.write(
                _("The demo campaign “%(name)s” is already there; nothing duplicated.") % {"name": campaign.name}
            )
        if not options["no_users"]:
            call_command("demo_users", stdout=self.stdout)
