"""Figure snapshots per campaign, on top of the kernel's snapshot cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kernel import figurecache
from kernel.figurecache import Snapshot, snapshot, store


class CampaignFigures:
    """Figures of one campaign, counted by ``count(campaign_id)``: a snapshot per
    campaign under ``<name>:<campaign id>``. Create one at module level where the
    figures are counted, and ``register()`` it in the app's ``AppConfig.ready()``
    so the beat job retakes it for every campaign on show."""

    def __init__(self, name: str, count: Callable[[int], Any]):
        self.name = name
        self.count = count

    def key(self, campaign_id: int) -> str:
        return f"{self.name}:{campaign_id}"

    def get(self, campaign_id: int, *, fresh: bool = False) -> Snapshot:
        """The snapshot (``fresh``: counted now, e.g. for what is published or printed)."""

        def compute() -> Any:
            return self.count(campaign_id)

        return store(self.key(campaign_id), compute) if fresh else snapshot(self.key(campaign_id), compute)

    def refresh_current(self) -> None:
        """Count again for every campaign on show: each running campaign (several run
        at once) and the one shown first, each once."""
        from .models import Campaign

        for pk in Campaign.objects.on_show().values_list("pk", flat=True):
            self.get(pk, fresh=True)

    def register(self) -> None:
        figurecache.register(self.name, self.refresh_current)
