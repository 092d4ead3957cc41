from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private: outside the web root, never served directly, only
    through views that check who is asking. The location is read from the
    settings each time, so a changed MEDIA_ROOT (as in tests) is followed."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(Path(settings.MEDIA_ROOT) / "private")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


def private_storage() -> PrivateStorage:
    """The storage of every uploaded attachment, evidence file and export."""
    return PrivateStorage()
