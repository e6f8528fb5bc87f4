"""Files attached to a message, built when it is sent: each app registers its builders.

A row names its attachment's builder by a short name and an id (``payment-receipt``,
42), not by a dotted path: renaming or moving a module cannot break the mails already
waiting in the outbox, and a row can only run what an app chose to register (in its
``AppConfig.ready``). Building at send time keeps the row small and the PDF current.
"""

from collections.abc import Callable

# (pk of the object) -> (file name, content, MIME type)
AttachmentBuilder = Callable[[int], tuple[str, bytes, str]]

builders: dict[str, AttachmentBuilder] = {}


def attachment_builder_register(name: str, builder: AttachmentBuilder) -> None:
    """Called from an AppConfig.ready; a second app claiming a name is a mistake."""
    if builders.get(name, builder) is not builder:
        raise ValueError(f"Le nom de pièce jointe « {name} » est déjà pris.")
    builders[name] = builder


def attachment_build(name: str, pk: int) -> tuple[str, bytes, str]:
    """Raises LookupError for a name no app registered: the delivery fails with the reason,
    retried, then kept failed where a clerk sees it."""
    try:
        builder = builders[name]
    except KeyError:
        raise LookupError(f"Aucune pièce jointe nommée « {name} » n'est enregistrée.") from None
    return builder(pk)
