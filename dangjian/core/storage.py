"""Where files that are not public live: outside MEDIA_ROOT, under PRIVATE_MEDIA_ROOT, served only through
views that authorise (core/file_responses.py)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A folder outside MEDIA_ROOT, read from the setting each time it is used, so that a changed
    PRIVATE_MEDIA_ROOT (a test's own folder, a new mount) is followed without reloading the models."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        given = getattr(self, "_location", None)  # set by FileSystemStorage.__init__
        return str(given or settings.PRIVATE_MEDIA_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    """The storage of a private file field (a callable keeps the machine's path out of migrations)."""
    return PrivateStorage()
