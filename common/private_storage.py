"""Private storage for supporting documents and PDFs: no URL, random names."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """Under MEDIA_ROOT/private, read lazily so that tests can move MEDIA_ROOT."""

    def _setup(self):
        self._wrapped = FileSystemStorage(
            location=Path(settings.MEDIA_ROOT) / "private", base_url=None
        )


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For FileField(storage=...): a callable keeps the location out of migrations."""
    return private_storage


def upload_path(instance, filename: str) -> str:
    """A random name: the citizen's file name never reaches the file system."""
    return f"documents/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"
