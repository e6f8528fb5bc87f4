"""The sections of « Statistiques », filled by the apps in their ``ready()``.

The back office sits below the apps whose data it shows (docs/architecture.md): it
cannot import them, so they come to it. A section is any object with the attributes
and the two methods of ``Section``.
"""

from typing import Protocol

from backoffice.statistics.figures import Period, SectionFigures


class Section(Protocol):
    slug: str  # In the CSV's URL: /admin/statistiques/<slug>.csv
    title: str
    order: int  # Sections are shown by increasing order.

    def visible_to(self, user) -> bool:
        """Whether the user may read this section at all (his role's permissions)."""

    def figures_for(self, *, user, period: Period) -> SectionFigures:
        """The figures within the user's scope (a service: its themes; superusers: all)."""


_sections: dict[str, Section] = {}


def section_register(section: Section) -> None:
    if section.slug in _sections and _sections[section.slug] is not section:
        raise ValueError(f"Two statistics sections named « {section.slug} ».")
    _sections[section.slug] = section


def sections_for(user) -> list[Section]:
    """The sections the user may read, in their order."""
    if not (user.is_active and user.is_staff):
        return []
    visible = [section for section in _sections.values() if section.visible_to(user)]
    return sorted(visible, key=lambda section: (section.order, section.slug))


def section_named(slug: str) -> Section | None:
    return _sections.get(slug)
