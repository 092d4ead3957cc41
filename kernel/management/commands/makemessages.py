"""``makemessages`` that also extracts ``ngettext_noop(singular, plural)``: a
message with a plural marked where it is written and translated later, when it
is read (notifications/texts.py). Django documents overriding ``xgettext_options``
for this."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ngettext_noop:1,2"]
