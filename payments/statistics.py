"""The invoices' section of « Statistiques » (backoffice.statistics), registered by
``PaymentsConfig.ready``: for the invoices issued during the period, per group, how
many were paid online, at the counter, or are still unpaid after their due date.

Invoices are grouped by their domain today. When invoices belong to a régie, grouping
by it is one change here: ``GROUP_BY`` (the field to group on) and ``group_labels``
(the name shown for each value); the figures, the chart and the CSV follow.
"""

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.statistics.figures import Column, Figure, Period, SectionFigures, Series
from payments.models import Domain, Invoice, InvoiceState

GROUP_BY = "domain"
GROUP_TITLE = gettext_lazy("Domaine")
VIEW_PERMISSION = "payments.view_invoice"


def group_labels() -> dict:
    return dict(Domain.choices)


def invoices_issued(period: Period) -> QuerySet[Invoice]:
    return Invoice.objects.filter(issue_date__gte=period.start, issue_date__lte=period.end)


def invoice_counts(invoices: QuerySet[Invoice], *, today) -> list[dict]:
    """One grouped query: counts and amounts per group."""
    paid = Q(state=InvoiceState.PAID)
    online, counter = paid & Q(payment__isnull=False), paid & Q(payment__isnull=True)
    overdue = Q(state=InvoiceState.TO_PAY, due_date__lt=today)
    return list(
        invoices.order_by()
        .values(GROUP_BY)
        .annotate(
            issued=Count("pk"),
            issued_amount=Sum("amount"),
            online=Count("pk", filter=online),
            online_amount=Sum("amount", filter=online),
            counter=Count("pk", filter=counter),
            counter_amount=Sum("amount", filter=counter),
            overdue=Count("pk", filter=overdue),
            overdue_amount=Sum("amount", filter=overdue),
        )
        .order_by(GROUP_BY)
    )


MEASURES = ("issued", "online", "counter", "overdue")


class InvoicesSection:
    slug = "factures"
    title = gettext_lazy("Factures")
    order = 20

    def visible_to(self, user) -> bool:
        return user.is_superuser or user.has_perm(VIEW_PERMISSION)

    def figures_for(self, *, user, period: Period) -> SectionFigures:
        labels = group_labels()
        rows = [
            {**row, "group": labels.get(row.pop(GROUP_BY), _("(sans groupe)"))}
            for row in invoice_counts(invoices_issued(period), today=timezone.localdate())
        ]
        names = {
            "issued": _("Émises"),
            "online": _("Payées en ligne"),
            "counter": _("Payées au guichet"),
            "overdue": _("Impayées après échéance"),
        }
        columns = [Column("group", str(GROUP_TITLE), numeric=False)]
        for key in MEASURES:
            columns += [Column(key, names[key]), Column(f"{key}_amount", f"{names[key]} (€)")]
        total = {"group": _("Toutes")}
        for column in columns[1:]:
            total[column.key] = sum(row[column.key] or 0 for row in rows)
        figure = Figure(
            slug="factures",
            title=_("Factures émises et leur paiement"),
            description=_(
                "Les factures émises pendant la période, par %(group)s : combien ont été "
                "payées en ligne, au guichet, et combien restent impayées après leur date "
                "d'échéance ; le tableau donne aussi les montants."
            )
            % {"group": str(GROUP_TITLE).lower()},
            columns=columns,
            rows=rows,
            category="group",
            series=[Series(key, names[key]) for key in MEASURES],
            total=total,
        )
        return SectionFigures(
            slug=self.slug,
            title=str(self.title),
            introduction=_("Les factures émises pendant la période, par domaine."),
            figures=[figure],
        )


def register() -> None:
    from backoffice.statistics.registry import section_register

    section_register(InvoicesSection())
