"""The published catalogue, kept in memory between two edits by the town hall's staff.

« Services en ligne » and every procedure form read the same themes, procedures,
fields and documents for every citizen, and staff change them rarely. Each process
keeps what it read, under the catalogue's generation; the generation lives in the
shared cache (Redis in production), and any save or delete of a theme, procedure,
field or document moves it on, which retires everything read before, a procedure
whose slug changed included. A process looks at the shared generation at most once
a second: an edit shows at once in the process that made it, within a second in the
others, without a round trip to the cache on every page.
"""

import threading
import time
import uuid

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from citizen_portal import shared_cache
from procedures import selectors
from procedures.models import DocumentRequirement, Procedure, ProcedureField, Theme

MODELS = (Theme, Procedure, ProcedureField, DocumentRequirement)

GENERATION_KEY = "catalogue:generation"
CHECK_EVERY = 1.0  # seconds
# A safety net for a change made outside the ORM's signals (bulk updates, SQL).
MAX_AGE = 15 * 60
# Unknown addresses are remembered too (as 0): a bound on what a process keeps.
MAX_ENTRIES = 1000
SLUG_LENGTH = Procedure._meta.get_field("slug").max_length


class Memory(threading.local):
    """What this process read, per thread (runserver serves with threads)."""

    def __init__(self):
        self.forget()

    def forget(self) -> None:
        self.generation = self.version = None
        self.checked = self.loaded = 0.0
        self.entries = {}


memory = Memory()


def version() -> str:
    """The shared generation, and a token of this reading of it: every reload gets new
    keys, so that HTML rendered from an older reading (templates/procedures/form.html)
    is never served again, even after the shared counter restarted from 0 (Redis
    emptied) or after the 15-minute safety net."""
    now = time.monotonic()
    if memory.version is None or now - memory.checked >= CHECK_EVERY:
        shared = shared_generation()
        if shared is None or shared != memory.generation or now - memory.loaded >= MAX_AGE:
            memory.entries, memory.generation, memory.loaded = {}, shared, now
            memory.version = f"{shared}.{uuid.uuid4().hex[:12]}"
        memory.checked = now
    return memory.version


def shared_generation() -> int | None:
    """None when the shared cache does not answer: then each reading stands alone for a
    second, and the pages keep working on the database."""
    shared = shared_cache.get(GENERATION_KEY)
    if shared is None and shared_cache.add(GENERATION_KEY, 0, timeout=None):
        shared = 0
    return shared


def forget(**kwargs) -> None:
    """Move the generation on, here at once and everywhere within a second. Again once
    the change commits, so that nothing read before the commit stays."""
    bump()
    transaction.on_commit(bump)


def bump() -> None:
    memory.version = None
    shared_cache.incr(GENERATION_KEY)


def cached(name: str, read):
    """(what ``read`` returns, the key it is kept under), read once per generation."""
    key = f"catalogue:{version()}:{name}"
    if key not in memory.entries:
        if len(memory.entries) >= MAX_ENTRIES:
            memory.entries.clear()
        memory.entries[key] = read()
    return memory.entries[key], key


def published_themes() -> list[Theme]:
    """Themes with their published procedures in ``published_procedures``."""
    return cached("themes", lambda: list(selectors.published_themes()))[0]


def procedure_with_form(slug: str) -> Procedure | None:
    """A published procedure with its theme, fields and documents; None when there is none.

    Absence is remembered too (as 0), so a mistyped address costs no query either. The
    procedure carries its cache key in ``catalogue_key``: the blank form, the same for
    every citizen, is kept rendered under it (templates/procedures/form.html)."""
    if len(slug) > SLUG_LENGTH:
        return None
    found, key = cached(
        f"procedure:{slug}", lambda: selectors.procedure_with_form(slug=slug).first() or 0
    )
    if not found:
        return None
    found.catalogue_key = key
    return found


def unpublished(procedure: Procedure) -> Procedure:
    """A procedure read outside the catalogue (a draft's, since unpublished), with a
    ``catalogue_key`` that the next change to the catalogue retires too."""
    procedure.catalogue_key = f"catalogue:{version()}:unpublished:{procedure.pk}"
    return procedure


def connect_signals() -> None:
    for model in MODELS:
        post_save.connect(forget, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
