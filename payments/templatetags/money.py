"""Amounts as the French read them: « 1 234,50 € »."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(value) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)}\u00a0€"
