from importlib import import_module

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.demo import load_demo
from campaigns.roles import Role


class Command(BaseCommand):
    help = "Load the demo campaign (seed 000, the high-tech zone plan) and one demo user per role. Safe to run again."

    def handle(self, *args, **options):
        summary = load_demo()
        # Each app adds its own demo data (``<app>/demo.py``, ``load_demo(users=...)``)
        # on top of the campaign and its users, in this order.
        for app in ("complaints", "rectification", "evaluations", "oversight"):
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            added = module.load_demo(users=summary["user_objects"])
            if added:
                self.stdout.write(_("%(app)s: added %(n)d demo records.") % {"app": app, "n": added})
        campaign = summary["campaign"]
        if summary["created"]:
            self.stdout.write(self.style.SUCCESS(_("Created the demo campaign “%(name)s”.") % {"name": campaign.name}))
        else:
            self.stdout.write(_("The demo campaign “%(name)s” is already there; nothing duplicated.") % {"name": campaign.name})
        self.stdout.write(_("Demo users (username / password / role):"))
        for user in summary["users"]:
            role = _("administrator") if user.superuser else Role(user.role).label
            self.stdout.write(f"  {user.username:<12} {user.password:<18} {role}")
