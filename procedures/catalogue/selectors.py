"""Reads of the catalogue shared by its views and its cache, with their joins in place."""

from django.db.models import Prefetch, Q, QuerySet

from procedures.catalogue.models import Procedure, Street, Theme


def published_themes() -> QuerySet[Theme]:
    procedures = Procedure.objects.published().order_by("order", "title")
    return (
        Theme.objects.filter(procedures__published=True)
        .distinct()
        .prefetch_related(
            Prefetch("procedures", queryset=procedures, to_attr="published_procedures")
        )
    )


def search_procedures(words: str) -> QuerySet[Procedure]:
    query = Q()
    for word in words.split()[:8]:
        query &= (
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(theme__title__icontains=word)
        )
    return Procedure.objects.published().filter(query).select_related("theme")


def procedure_with_form(*, slug: str) -> QuerySet[Procedure]:
    return (
        Procedure.objects.published()
        .filter(slug=slug)
        .select_related("theme")
        .prefetch_related("pages", "blocks", "fields", "documents", "conditions")
    )


def street_rows() -> list[dict]:
    """The town's street register, as an address question offers and keeps it."""
    return [
        {"id": pk, "voie": name, "code_postal": postal_code, "commune": town}
        for pk, name, postal_code, town in Street.objects.order_by(
            "name", "postal_code"
        ).values_list("pk", "name", "postal_code", "town")
    ]


def procedure_for_exchange(*, pk: int) -> Procedure:
    """A procedure, published or not, with every row of its form."""
    return (
        Procedure.objects.filter(pk=pk)
        .select_related("theme")
        .prefetch_related("pages", "blocks", "fields", "documents", "conditions")
        .get()
    )
