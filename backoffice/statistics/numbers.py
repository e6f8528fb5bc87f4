"""Numbers written the French way, the same in the chart, the table and the CSV."""

from decimal import Decimal

NARROW_NBSP = "\u202f"


def number_text(value, *, grouped: bool = True) -> str:
    """« 1 234 », « 12,5 », « — » for no value (no request decided, say)."""
    if value is None:
        return "—"
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        rounded = round(Decimal(str(value)), 1 if not isinstance(value, Decimal) else 2)
        text = f"{rounded:,}"
    text = text.replace(",", NARROW_NBSP if grouped else "").replace(".", ",")
    return text
