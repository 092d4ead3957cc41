from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.demo import load_demo
from campaigns.roles import Role


class Command(BaseCommand):
    help = "Load the demo campaign (seed 000, the high-tech zone plan) and one demo user per role. Safe to run again."

    def handle(self, *args, **options):
        summary = load_demo()
        # Each app adds its own demo data on top of the campaign and its users.
        from complaints.demo import load_demo as load_complaints

        complaints = load_complaints(users=summary["user_objects"])
        if complaints:
            self.stdout.write(_("Added %(n)d demo complaints.") % {"n": complaints})
        campaign = summary["campaign"]
        if summary["created"]:
            self.stdout.write(self.style.SUCCESS(_("Created the demo campaign “%(name)s”.") % {"name": campaign.name}))
        else:
            self.stdout.write(_("The demo campaign “%(name)s” is already there; nothing duplicated.") % {"name": campaign.name})
        self.stdout.write(_("Demo users (username / password / role):"))
        for user in summary["users"]:
            role = _("administrator") if user.superuser else Role(user.role).label
            self.stdout.write(f"  {user.username:<12} {user.password:<18} {role}")
