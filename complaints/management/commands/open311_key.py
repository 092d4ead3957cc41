from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from complaints.models import Open311Key
from complaints.open311.keys import key_create, key_revoke


class Command(BaseCommand):
    help = (
        "Issue an Open311 API key for an integrating system and print it once "
        "(only its hash is stored), or revoke one with --revoke PREFIX."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="the name of the system the key is for, e.g. “12345 hotline”")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the key with this prefix instead")

    def handle(self, *args, name=None, revoke=None, **options):
        if revoke:
            try:
                key = key_revoke(prefix=revoke.strip())
            except Open311Key.DoesNotExist:
                raise CommandError(_("No Open311 key has the prefix “%(prefix)s”.") % {"prefix": revoke}) from None
            self.stdout.write(
                self.style.SUCCESS(
                    _("Key %(prefix)s of “%(name)s” is revoked since %(at)s.")
                    % {"prefix": key.prefix, "name": key.name, "at": key.revoked_at.isoformat(timespec="seconds")}
                )
            )
            return
        if not (name or "").strip():
            raise CommandError(_("Give the name of the system the key is for, or --revoke PREFIX."))
        key, raw = key_create(name=name)
        self.stdout.write(
            _("Open311 key for “%(name)s” (prefix %(prefix)s):") % {"name": key.name, "prefix": key.prefix}
        )
        self.stdout.write(raw)
        self.stdout.write(
            self.style.WARNING(
                _("This is the only time the key is shown: only its hash is stored. Hand it over securely.")
            )
        )
