from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.officeimport import import_offices, read_rows


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Load the office tree from an .xlsx workbook: name, parent, short name, level, complaint centre, "
        "head username, head name (campaigns/officeimport.py). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("workbook")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then write nothing.")

    def handle(self, *args, workbook, dry_run=False, **options):
        try:
            rows = read_rows(workbook)
            with transaction.atomic():
                result = import_offices(rows=rows)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(_("Dry run: nothing was written."))
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            _(
                "Offices: %(created)d created, %(updated)d updated, %(unchanged)d unchanged; "
                "heads: %(heads)d new accounts, %(assigned)d placed."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "heads": result.heads_created,
                "assigned": result.heads_assigned,
            }
        )
