"""The published catalogue, kept in the shared cache between two edits by the staff.

« Services en ligne » and every procedure form read the same themes, procedures,
fields and documents for every citizen, and staff change them rarely. What was read is
kept under the catalogue's generation, one counter in the shared cache: every key is
``catalogue:<generation>:<name>``, and any save or delete of a theme, procedure, field
or document adds one to the counter, which retires everything read before in every
process at once, a procedure whose slug changed included (pretix's NamespacedCache
works the same way). Each read is a fresh copy from the cache: no process shares an
object between requests, so a view may change what it was given.

When the cache does not answer, the pages read the database, as if nothing were cached.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from procedures.catalogue import selectors
from procedures.catalogue.definition import definition_of
from procedures.catalogue.models import (
    Condition,
    DocumentRequirement,
    FieldBlock,
    Procedure,
    ProcedureField,
    ProcedurePage,
    Street,
    Theme,
)

MODELS = (
    Theme,
    Procedure,
    ProcedurePage,
    FieldBlock,
    ProcedureField,
    DocumentRequirement,
    Condition,
    Street,
)

GENERATION_KEY = "catalogue:generation"
# Retired generations are not deleted: they expire. An edit whose increment was lost
# (the cache down at that moment) shows at the latest after this long too.
TIMEOUT = 60 * 60
SLUG_LENGTH = Procedure._meta.get_field("slug").max_length
# Absence is cached too (a mistyped or retired address costs no query either).
MISSING = 0


def generation() -> int | None:
    """The current generation; None when the cache does not answer.

    A missing counter (first use, Redis emptied or evicted) starts from the clock, not
    from 0, so that it never comes back to a number whose keys may still be held."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def forget(**kwargs) -> None:
    """Retire everything read so far: now, and again once the change commits, so that
    what another request read before the commit (the old version) is retired too."""
    next_generation()
    transaction.on_commit(next_generation)


def next_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet: reading the generation starts one
        generation()


def cached(name: str, read):
    """What ``read`` returns, read once per generation."""
    current = generation()
    if current is None:
        return read()
    key = f"catalogue:{current}:{name}"
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, timeout=TIMEOUT)
    return found


def published_themes() -> list[Theme]:
    """Themes with their published procedures in ``published_procedures``."""
    return cached("themes", lambda: list(selectors.published_themes()))


def procedure_with_form(slug: str) -> Procedure | None:
    """A published procedure with its theme, fields and documents; None when there is none."""
    if len(slug) > SLUG_LENGTH:
        return None
    found = cached(f"procedure:{slug}", lambda: read_procedure(slug))
    return found or None


def read_procedure(slug: str) -> Procedure | int:
    """The procedure with its definition built (kept with it in the cache)."""
    procedure = selectors.procedure_with_form(slug=slug).first()
    if procedure is None:
        return MISSING
    definition_of(procedure)
    return procedure


def streets() -> list[dict]:
    """The town's street register (``selectors.street_rows``)."""
    return cached("streets", selectors.street_rows)


def connect_signals() -> None:
    for model in MODELS:
        post_save.connect(forget, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
