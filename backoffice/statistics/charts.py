"""Horizontal bar charts as SVG, drawn on the server: no script, no external font, no
``style`` attribute (the CSP forbids inline styles; SVG presentation attributes are
not styles).

A chart is never the only way to read a figure: the page shows the same numbers as a
table next to it (RGAA 1.8 / 4.1). In the chart itself each bar carries its number,
and, when a group has several bars, the series' name: the colours (all of at least 3:1
against white, WCAG 1.4.11) only help the eye.
"""

from xml.etree import ElementTree as ET

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from backoffice.statistics.figures import Figure
from backoffice.statistics.numbers import number_text

SVG = "http://www.w3.org/2000/svg"
# Contrast against white: 14.5, 5.4, 5.1, 8.5, 6.2, 6.0, 5.6, 17.5 (all ≥ 3:1).
PALETTE = ("#000091", "#18753c", "#b34000", "#6e445a", "#3558a2", "#716043", "#ce0500", "#161616")
TEXT = "#161616"

WIDTH = 640
BAR_AREA = 380  # The longest bar; its number and series' name are written after it.
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
FONT_SIZE = "13"


def _text(parent, x: float, y: float, content: str, **attributes) -> None:
    element = ET.SubElement(
        parent,
        "text",
        {"x": f"{x:g}", "y": f"{y:g}", "fill": TEXT, "font-size": FONT_SIZE, **attributes},
    )
    element.text = content


def bar_chart(figure: Figure, *, chart_id: str) -> SafeString:
    """The figure's rows as groups of horizontal bars, one bar per series."""
    values = [row.get(series.key) or 0 for row in figure.rows for series in figure.series]
    largest = max(values, default=0) or 1
    several = len(figure.series) > 1
    y = 0.0
    body = ET.Element("g")
    for row in figure.rows:
        bars = [(index, series, row.get(series.key)) for index, series in enumerate(figure.series)]
        if several:  # A group shows the measures it has; the table shows every one.
            bars = [bar for bar in bars if bar[2]]
        y += LABEL_HEIGHT - 4
        _text(body, 0, y, str(row.get(figure.category, "")), **{"font-weight": "bold"})
        y += 4
        if not bars:
            y += BAR_HEIGHT
            _text(body, 0, y - 4, gettext("aucune"))
        for index, series, value in bars:
            length = round(float(value or 0) / float(largest) * BAR_AREA, 1)
            ET.SubElement(
                body,
                "rect",
                {
                    "x": "0",
                    "y": f"{y:g}",
                    "width": f"{max(length, 1 if value else 0):g}",
                    "height": str(BAR_HEIGHT),
                    "fill": PALETTE[index % len(PALETTE)],
                },
            )
            label = number_text(value) + (f" {figure.unit}" if figure.unit else "")
            if several:
                label = f"{series.label} : {label}"
            _text(body, length + 6, y + BAR_HEIGHT - 3, label)
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    if not figure.rows:
        y = LABEL_HEIGHT + 4
        _text(body, 0, LABEL_HEIGHT, gettext("Aucune donnée sur la période."))
    height = max(round(y), LABEL_HEIGHT + 4)
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG,
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{chart_id}-title",
            "aria-describedby": f"{chart_id}-desc",
            "class": "statistics-chart",
            "font-family": "sans-serif",
            "id": chart_id,
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = figure.title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = description(figure)
    svg.append(body)
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 escaped by ElementTree


def description(figure: Figure) -> str:
    """What the chart shows, in words, and where its numbers are."""
    return gettext("%(description)s Les mêmes nombres figurent dans le tableau qui suit.") % {
        "description": figure.description
    }
