"""The portal's URLs plus two that fail on purpose, for the error pages' tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from citizen_portal.urls import handler500, urlpatterns  # noqa: F401 (the root urlconf's handler)


def refuse(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("panne voulue par le test")


urlpatterns = [
    *urlpatterns,
    path("essai/interdit/", refuse),
    path("essai/panne/", crash),
]


def locked(request):
    """What Django raises when SQLite's busy timeout runs out."""
    import sqlite3

    from django.db import OperationalError

    try:
        raise sqlite3.OperationalError("database is locked")
    except sqlite3.OperationalError as error:
        raise OperationalError(*error.args) from error


urlpatterns += [path("essai/verrou/", locked)]
