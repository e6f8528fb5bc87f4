"""Template helpers for accessible forms."""

from django import template

register = template.Library()


@register.simple_tag
def field_widget(field):
    """Render a field's widget tied to its help and error texts for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def plain_hidden(field) -> str:
    """A field carried as a hidden input, and nothing else: Django's ``as_hidden`` also points
    ``aria-describedby`` at a help text that the page does not show."""
    return field.field.hidden_widget().render(field.html_name, field.value())


@register.filter
def is_choice_group(field) -> bool:
    return field.widget_type in {"radioselect", "checkboxselectmultiple"}
