from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rectification.services import hotspots_scan


class Command(BaseCommand):
    help = (
        "Look for complaint hotspots in the current campaign (each office and problem type) and raise a "
        "problem for every new one. Safe to run at any time; a hotspot is raised once."
    )

    def handle(self, *args, **options):
        raised = hotspots_scan()
        for problem in raised:
            self.stdout.write(
                _("Raised %(code)s for %(office)s.") % {"code": problem.code, "office": problem.office.name}
            )
        self.stdout.write(_("%(n)d new hotspots.") % {"n": len(raised)})
