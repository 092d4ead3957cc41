from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.demo import DEMO_USERS
from campaigns.roles import Role


class Command(BaseCommand):
    help = "List the demo users with their passwords and roles (make run prints them when the server is ready)."

    def handle(self, *args, **options):
        self.stdout.write(_("Demo users (username / password / role):"))
        for user in DEMO_USERS:
            role = _("administrator") if user.superuser else Role(user.role).label
            self.stdout.write(f"  {user.username:<12} {user.password:<18} {role}")
