"""The published catalogue, cached between two edits by the town hall's staff.

« Services en ligne » and every procedure form read the same themes, procedures,
fields and documents for every citizen, and staff change them rarely. Any save or
delete of one of them moves the generation on, which retires every cached entry
at once (a procedure whose slug changed included).
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from procedures import selectors
from procedures.models import DocumentRequirement, Procedure, ProcedureField, Theme

MODELS = (Theme, Procedure, ProcedureField, DocumentRequirement)

GENERATION_KEY = "catalogue:generation"
# A safety net for a change made outside the ORM's signals (bulk updates, SQL).
MAX_AGE = 15 * 60


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 0
        cache.add(GENERATION_KEY, value, timeout=None)
    return value


def forget(**kwargs) -> None:
    """Every cached entry names the generation it was read in: a new one retires them.
    Again once the change commits, so that nothing read before the commit stays."""
    bump()
    transaction.on_commit(bump)


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def cached(name: str, read):
    """(what ``read`` returns, its cache key), from the cache when it can."""
    key = f"catalogue:{generation()}:{name}"
    return cache.get_or_set(key, read, timeout=MAX_AGE), key


def published_themes() -> list[Theme]:
    """Themes with their published procedures in ``published_procedures``."""
    return cached("themes", lambda: list(selectors.published_themes()))[0]


def procedure_with_form(slug: str) -> Procedure | None:
    """A published procedure with its theme, fields and documents; None when there is none.

    Absence is cached too (as 0), so a mistyped address costs no query either. The
    procedure carries its cache key in ``catalogue_key``: the blank form, the same for
    every citizen, is kept rendered under it (templates/procedures/form.html)."""
    if len(slug) > Procedure._meta.get_field("slug").max_length:
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
    procedure.catalogue_key = f"catalogue:{generation()}:unpublished:{procedure.pk}"
    return procedure


def connect_signals() -> None:
    for model in MODELS:
        post_save.connect(forget, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
