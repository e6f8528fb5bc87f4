"""Comparing what people type, forgivingly."""

import unicodedata


def normalize_answer(text: str) -> str:
    """Lower case, no accents, single spaces: « Éléphant » and « elephant  » match."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.casefold().split())
