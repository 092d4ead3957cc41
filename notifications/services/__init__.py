"""The reminder sweep and the delivery of notices.

``run_sweep`` is what beat runs every 15 minutes and what ``manage.py
send_reminders`` runs at once. It is safe to run at any time, as often as you
like, even two at the same time:

1. it writes the notices that are due (``reminders``: one row per object,
   deadline, step and recipient — the unique constraint turns a second write
   into a no-op), to the recipients ``recipients`` resolves;
2. it hands every notice that is waiting (new, failed and due for a retry, or
   claimed by a sender that never finished) to ``delivery.deliver``, which claims
   the row with a conditional UPDATE before sending, so only one sender sends it.

Nothing is scheduled far ahead: a lost broker message or a missed beat tick is
made good by the next sweep. Other apps write their own notices with
``render_notice`` and hand them to ``deliver``.
"""

from .delivery import CLAIM_TIMEOUT, claim, deliver, waiting_ids
from .recipients import StaffDirectory, resolve_recipients
from .reminders import render_notice, write_due_reminders
from .sweep import run_sweep

__all__ = [
    "CLAIM_TIMEOUT",
    "StaffDirectory",
    "claim",
    "deliver",
    "render_notice",
    "resolve_recipients",
    "run_sweep",
    "waiting_ids",
    "write_due_reminders",
]
