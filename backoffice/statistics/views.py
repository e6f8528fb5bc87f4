"""« Statistiques »: the page (charts and tables) and its CSV, one per section.

Both are admin views of ``PortalAdminSite`` (login and second factor first). A staff
member who may read no section gets 403; the figures are always within his scope
(each section filters by the user). Opening the page or a CSV writes a row of the
access journal: aggregated figures of a small town can still point at a person.
"""

from datetime import date
from functools import partial

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backoffice import journal
from backoffice.statistics import registry
from backoffice.statistics.charts import bar_chart
from backoffice.statistics.figures import Figure, Period, SectionFigures
from backoffice.statistics.numbers import number_text
from common.spreadsheets import SafeWriter

# Beyond this span the page would still answer, but nobody reads ten years at once.
LONGEST_PERIOD_DAYS = 5 * 366


class PeriodForm(forms.Form):
    du = forms.DateField(
        label=_("Du"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Indiquez le premier jour."), "invalid": _("Date invalide.")},
    )
    au = forms.DateField(
        label=_("Au"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Indiquez le dernier jour."), "invalid": _("Date invalide.")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start == date.min:
            # Its midnight in Paris is before year 1 in UTC (SQLite's stored time).
            self.add_error("du", gettext("Date invalide."))
        if end == date.max:
            # Its period ends at the first moment after it, which no date holds.
            self.add_error("au", gettext("Date invalide."))
        elif start and end:
            if end < start:
                self.add_error("au", gettext("Le dernier jour précède le premier."))
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("au", gettext("Choisissez une période de cinq ans au plus."))
        return cleaned

    def period(self) -> Period:
        return Period(self.cleaned_data["du"], self.cleaned_data["au"])


def default_period(today: date) -> Period:
    """The month so far."""
    return Period(today.replace(day=1), today)


def chosen_period(request) -> tuple[PeriodForm, Period | None]:
    """The period of the query string, or this month when none is given."""
    if "du" not in request.GET and "au" not in request.GET:
        period = default_period(timezone.localdate())
        return PeriodForm(initial={"du": period.start, "au": period.end}), period
    form = PeriodForm(request.GET)
    return form, form.period() if form.is_valid() else None


class JournalEntry:
    """What the access journal keeps of a statistics page: its period and section."""

    def __init__(self, period: Period, what: str):
        self.pk = f"{period.start:%Y-%m-%d}/{period.end:%Y-%m-%d}"
        self.text = gettext("%(what)s du %(start)s au %(end)s") % {
            "what": what,
            "start": f"{period.start:%d/%m/%Y}",
            "end": f"{period.end:%d/%m/%Y}",
        }

    def __str__(self) -> str:
        return self.text


def page(request, *, site):
    sections = registry.sections_for(request.user)
    if not sections:
        raise PermissionDenied
    form, period = chosen_period(request)
    results: list[SectionFigures] = []
    if period is not None:
        results = [section.figures_for(user=request.user, period=period) for section in sections]
        journal.access_record(
            staff=request.user,
            kind=journal.Kind.STATISTICS,
            obj=JournalEntry(period, gettext("Statistiques")),
        )
    context = {
        **site.each_context(request),
        "title": gettext("Statistiques"),
        "form": form,
        "period": period,
        "sections": [
            {"section": result, "figures": [drawn(figure, result) for figure in result.figures]}
            for result in results
        ],
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/statistics/page.html", context)


def drawn(figure: Figure, section: SectionFigures) -> dict:
    return {
        "figure": figure,
        "chart": bar_chart(figure, chart_id=f"chart-{section.slug}-{figure.slug}"),
        "rows": [
            [(column, display(value, column.numeric)) for column, value in figure.cells(row)]
            for row in figure.rows
        ],
        "total": [
            (column, display(value, column.numeric)) for column, value in figure.cells(figure.total)
        ]
        if figure.total
        else None,
    }


def display(value, numeric: bool) -> str:
    return number_text(value) if numeric else str(value if value is not None else "—")


def csv_download(request, section, *, site):
    found = registry.section_named(section)
    if found is None:
        raise Http404
    if not found.visible_to(request.user):
        raise PermissionDenied
    form, period = chosen_period(request)
    if period is None:
        raise Http404  # The page shows the form's errors; its links carry a valid period.
    result = found.figures_for(user=request.user, period=period)
    journal.access_record(
        staff=request.user,
        kind=journal.Kind.STATISTICS,
        obj=JournalEntry(period, gettext("CSV « %(title)s »") % {"title": result.title}),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"statistiques-{found.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # A spreadsheet then reads the accents as UTF-8.
    csv_write(response, result, period)
    return response


def csv_write(stream, result: SectionFigures, period: Period) -> None:
    """Each figure as a block: its title, its header, its rows; numbers the French way,
    every cell formula-safe (common.spreadsheets)."""
    writer = SafeWriter(stream, delimiter=";")
    writer.writerow([result.title, f"{period.start:%d/%m/%Y}", f"{period.end:%d/%m/%Y}"])
    for figure in result.figures:
        writer.writerow([])
        writer.writerow([figure.title])
        writer.writerow([column.label for column in figure.columns])
        for row in [*figure.rows, *([figure.total] if figure.total else [])]:
            writer.writerow(
                [
                    number_text(value, grouped=False) if column.numeric and value is not None
                    else ("" if value is None else value)
                    for column, value in figure.cells(row)
                ]
            )  # fmt: skip


def urls(site) -> list:
    """The site's URLs of « Statistiques » (``PortalAdminSite.get_urls``)."""
    return [
        path("statistiques/", site.admin_view(partial(page, site=site)), name="statistics"),
        path(
            "statistiques/<slug:section>.csv",
            site.admin_view(partial(csv_download, site=site)),
            name="statistics_csv",
        ),
    ]
