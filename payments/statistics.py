"""The invoices' section of « Statistiques » (backoffice.statistics), registered by
``PaymentsConfig.ready``: for the invoices issued during the period, per régie, how
many were paid online, at the counter, or are still unpaid after their due date.

``GROUP_BY`` is the field grouped on and ``group_labels`` the name shown for each
value; the figures, the chart and the CSV follow. Invoices without a régie (the
portal's own provider collects them) make a row of their own, « Sans régie ». A
« Régie » clerk limited to some régies (payments.scoping) reads only theirs.
"""

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.statistics.figures import Column, Figure, Period, SectionFigures, Series
from payments.models import Invoice, InvoiceState, Regie
from payments.scoping import regie_ids_of

GROUP_BY = "regie"
GROUP_TITLE = gettext_lazy("Régie")
NO_GROUP = gettext_lazy("Sans régie")
VIEW_PERMISSION = "payments.view_invoice"


def group_labels() -> dict:
    return dict(Regie.objects.values_list("pk", "name"))


def invoices_issued(period: Period, *, regie_ids: list[int] | None) -> QuerySet[Invoice]:
    """The period's invoices, of the given régies only unless ``regie_ids`` is None
    (``payments.scoping.regie_ids_of``: superusers and unlimited clerks)."""
    issued = Invoice.objects.filter(issue_date__gte=period.start, issue_date__lte=period.end)
    return issued if regie_ids is None else issued.filter(regie__in=regie_ids)


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
        regie_ids = regie_ids_of(user)
        issued = invoices_issued(period, regie_ids=regie_ids)
        counts = invoice_counts(issued, today=timezone.localdate())
        labels = group_labels() if counts else {}
        # By name, « Sans régie » last.
        counts.sort(key=lambda row: (row[GROUP_BY] is None, labels.get(row[GROUP_BY], "")))
        rows = [{**row, "group": labels.get(row.pop(GROUP_BY), str(NO_GROUP))} for row in counts]
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
                "d'échéance ; le tableau donne aussi les montants. « %(none)s » : les "
                "factures qu'aucune régie n'encaisse."
            )
            % {"group": str(GROUP_TITLE).lower(), "none": NO_GROUP},
            columns=columns,
            rows=rows,
            category="group",
            series=[Series(key, names[key]) for key in MEASURES],
            total=total,
        )
        return SectionFigures(
            slug=self.slug,
            title=str(self.title),
            introduction=_("Les factures émises pendant la période, par régie.")
            if regie_ids is None
            else _("Les factures émises pendant la période, des régies dont vous êtes agent."),
            figures=[figure],
        )


def register() -> None:
    from backoffice.statistics.registry import section_register

    section_register(InvoicesSection())
