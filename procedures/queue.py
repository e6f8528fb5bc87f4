"""The clerk's queue: the request list in admin opens on what is to be done.

« À traiter » (received and in progress, oldest first) is the list's default; each state
shows its count; a column gives the date by which the silence rule decides, marked when it
is near, and another since when a request waits for the citizen. Filters by procedure
(RequestAdmin) and by the age of the person concerned (school procedures).
"""

from datetime import date, timedelta

from django.contrib import admin
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from procedures.models import Procedure, Request, RequestEvent, RequestState

TODO = "todo"
ALL = "all"
TODO_STATES = (RequestState.SUBMITTED, RequestState.IN_PROGRESS)
# Undecided: the silence rule still runs.
UNDECIDED_STATES = (RequestState.SUBMITTED, RequestState.IN_PROGRESS, RequestState.WAITING)
# « within a few days » of the silence rule's date: marked in the list.
SILENCE_WARNING_DAYS = 7


def is_todo_view(request) -> bool:
    return (request.GET.get(StateFilter.parameter_name) or TODO) == TODO


def with_waiting_since(queryset: QuerySet[Request]) -> QuerySet[Request]:
    """Annotate when each request last went to « En attente de pièces ou d'informations »."""
    last_wait = (
        RequestEvent.objects.filter(request=OuterRef("pk"), to_state=RequestState.WAITING)
        .order_by("-at")
        .values("at")[:1]
    )
    return queryset.annotate(waiting_since=Subquery(last_wait))


class StateFilter(admin.SimpleListFilter):
    """The states a clerk meets (drafts are the citizen's own), each with its count;
    « À traiter » when nothing is chosen."""

    title = _("état")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        counts = dict(
            model_admin.scoped_queryset(request)
            .order_by()
            .values_list("state")
            .annotate(count=Count("pk"))
        )
        todo = sum(counts.get(state, 0) for state in TODO_STATES)
        return [
            (TODO, gettext("À traiter : reçues et en cours (%(count)s)") % {"count": todo}),
            *[
                (value, f"{label} ({counts.get(value, 0)})")
                for value, label in RequestState.choices
                if value != RequestState.DRAFT
            ],
            (ALL, gettext("Toutes (%(count)s)") % {"count": sum(counts.values())}),
        ]

    def value(self):
        return super().value() or TODO

    def choices(self, changelist):
        # No « Tous » link of Django's: « Toutes » is one of the lookups, the default is TODO.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == TODO:
            return queryset.filter(state__in=TODO_STATES)
        if value in RequestState.values:
            return queryset.filter(state=value)
        return queryset


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class ChildAgeFilter(admin.SimpleListFilter):
    """The age today of the child concerned (school procedures), from the request's snapshot."""

    title = _("âge de l'enfant concerné")
    parameter_name = "age"
    RANGES = {
        "0-2": (0, 2, _("moins de 3 ans")),
        "3-5": (3, 5, _("3 à 5 ans (maternelle)")),
        "6-10": (6, 10, _("6 à 10 ans (élémentaire)")),
        "11-17": (11, 17, _("11 à 17 ans")),
    }

    def lookups(self, request, model_admin):
        concerns_children = (
            model_admin.scoped_queryset(request)
            .filter(procedure__concerns=Procedure.Concerns.CHILD)
            .exists()
        )
        if not concerns_children:
            return []
        return [(key, label) for key, (_low, _high, label) in self.RANGES.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.RANGES:
            return queryset
        low, high, _label = self.RANGES[self.value()]
        today = timezone.localdate()
        return queryset.filter(
            subject_birth_date__lte=years_before(today, low),
            subject_birth_date__gt=years_before(today, high + 1),
        )


def silence_end(obj: Request) -> date | None:
    """The last day of the silence rule's delay, whatever the state (None: no rule)."""
    procedure = obj.procedure
    if not procedure.silence_rule or not procedure.silence_delay_days or obj.submitted_at is None:
        return None
    return timezone.localdate(obj.submitted_at) + timedelta(days=procedure.silence_delay_days)


def silence_deadline(obj: Request) -> date | None:
    """The silence rule's date while it still runs: the day after, procedures.deadlines
    decides (the one home of that date, for the list and for the decision)."""
    if obj.state not in UNDECIDED_STATES:
        return None
    return silence_end(obj)


def silence_cell(obj: Request):
    deadline = silence_deadline(obj)
    if deadline is None:
        return "—"
    rule = obj.procedure.get_silence_rule_display()
    days = (deadline - timezone.localdate()).days
    if days < 0:
        mark = gettext("Délai dépassé")
    elif days <= SILENCE_WARNING_DAYS:
        mark = gettext("Dans %(days)s j") % {"days": days}
    else:
        return format_html("{} ({})", f"{deadline:%d/%m/%Y}", rule)
    return format_html(
        '<strong class="queue-mark">{} :</strong> {} ({})', mark, f"{deadline:%d/%m/%Y}", rule
    )


def waiting_cell(obj: Request):
    since = getattr(obj, "waiting_since", None)
    if obj.state != RequestState.WAITING or since is None:
        return "—"
    days = (timezone.localdate() - timezone.localdate(since)).days
    return gettext("depuis le %(date)s (%(days)s j)") % {
        "date": f"{timezone.localdate(since):%d/%m/%Y}",
        "days": days,
    }
