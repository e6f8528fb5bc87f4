"""The requests' section of « Statistiques » (backoffice.statistics), registered by
``ProceduresConfig.ready``.

Its figures are about the requests **sent during the period** (their states and
waits as they are today), within the user's themes (superusers: all), one row per
procedure and a total. Each figure is one grouped query; percentiles are the
database's ``percentile_cont`` (common.aggregates).
"""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, DateTimeField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.statistics.figures import Column, Figure, Period, SectionFigures, Series
from common.aggregates import PercentileCont, Seconds
from procedures.admin import VIEW_PERMISSIONS, restrict_to_handled_themes
from procedures.models import SENT_STATES, Request, RequestEvent, RequestState

DAY = 86400.0
PROCEDURE = "procedure"
TOTAL = "total"


def requests_sent(user, period: Period) -> QuerySet[Request]:
    sent = Request.objects.submitted().filter(
        submitted_at__gte=period.since, submitted_at__lt=period.until
    )
    return restrict_to_handled_themes(sent, user, theme_path="procedure__theme")


def days(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / DAY


def decision_seconds():
    return Seconds(F("decided_at") - F("submitted_at"))


def counts_by_state(requests: QuerySet[Request]) -> tuple[dict, dict]:
    """({procedure id: {"title", "theme"}}, {procedure id: {state: count}})."""
    names, states = {}, defaultdict(dict)
    rows = (
        requests.order_by()
        .values("procedure", "procedure__title", "procedure__theme__title", "state")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        names[row["procedure"]] = {
            "title": row["procedure__title"],
            "theme": row["procedure__theme__title"],
        }
        states[row["procedure"]][row["state"]] = row["count"]
    return names, states


def decision_delays(requests: QuerySet[Request]) -> tuple[dict, dict]:
    """Median and 90th percentile of the time to a decision, per procedure and overall."""
    decided = requests.filter(decided_at__isnull=False).order_by()
    measures = {
        "decided": Count("pk"),
        "median": PercentileCont(decision_seconds(), 0.5),
        "p90": PercentileCont(decision_seconds(), 0.9),
    }
    per_procedure = {
        row.pop(PROCEDURE): row for row in decided.values(PROCEDURE).annotate(**measures)
    }
    return per_procedure, decided.aggregate(**measures)


def silence_dates(requests: QuerySet[Request], *, now: datetime) -> dict:
    """Per procedure with a silence rule: its requests, and those decided (or still
    undecided today) after the day the silence rule decides for the town — the queue's
    « Délai dépassé » (procedures.queue.silence_deadline), counted in local days."""
    end = TruncDate(Coalesce("decided_at", Value(now, output_field=DateTimeField())))
    elapsed_days = Seconds(end - TruncDate("submitted_at")) / DAY
    ruled = (
        requests.exclude(procedure__silence_rule="")
        .filter(procedure__silence_delay_days__isnull=False)
        .exclude(state=RequestState.CANCELLED)
        .order_by()
    )
    rows = ruled.values(PROCEDURE).annotate(
        ruled=Count("pk"),
        missed=Count("pk", filter=GreaterThan(elapsed_days, F("procedure__silence_delay_days"))),
    )
    return {row.pop(PROCEDURE): row for row in rows}


def waits(requests: QuerySet[Request], *, now: datetime) -> dict:
    """Per procedure: the requests that waited for the citizen and the days they
    waited, each wait running from « Demander des pièces » to the next event that
    leaves that state (the reply, a refusal, a withdrawal) or to now."""
    left_at = (
        RequestEvent.objects.filter(request=OuterRef("request"), from_state=RequestState.WAITING)
        .filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")))
        .order_by("at", "pk")
        .values("at")[:1]
    )
    until = Coalesce(Subquery(left_at), Value(now, output_field=DateTimeField()))
    rows = (
        RequestEvent.objects.filter(to_state=RequestState.WAITING, request__in=requests)
        .order_by()
        .values("request__procedure")
        .annotate(waited=Count("request", distinct=True), seconds=Sum(Seconds(until - F("at"))))
    )
    return {row.pop("request__procedure"): row for row in rows}


class RequestsSection:
    slug = "demandes"
    title = gettext_lazy("Demandes")
    order = 10

    def visible_to(self, user) -> bool:
        return user.is_superuser or any(user.has_perm(perm) for perm in VIEW_PERMISSIONS)

    def figures_for(self, *, user, period: Period) -> SectionFigures:
        now = timezone.now()
        requests = requests_sent(user, period)
        names, states = counts_by_state(requests)
        delays, overall = decision_delays(requests)
        silence = silence_dates(requests, now=now)
        waited = waits(requests, now=now)
        order = sorted(names, key=lambda pk: (names[pk]["theme"], names[pk]["title"], pk))

        def base(pk):
            return {PROCEDURE: names[pk]["title"], "theme": names[pk]["theme"]}

        total_label = {PROCEDURE: _("Toutes les démarches"), "theme": ""}
        head = [
            Column(PROCEDURE, _("Démarche"), numeric=False),
            Column("theme", _("Thème"), numeric=False),
        ]
        state_keys = [str(state) for state in SENT_STATES]
        state_rows = [
            {
                **base(pk),
                "received": sum(states[pk].values()),
                **{s: states[pk].get(s, 0) for s in state_keys},
            }
            for pk in order
        ]
        delay_rows = [
            {
                **base(pk),
                "decided": delays.get(pk, {}).get("decided", 0),
                "median": days(delays.get(pk, {}).get("median")),
                "p90": days(delays.get(pk, {}).get("p90")),
            }
            for pk in order
        ]
        silence_rows = [
            {**base(pk), "ruled": silence[pk]["ruled"], "missed": silence[pk]["missed"]}
            for pk in order
            if pk in silence
        ]
        wait_rows = [
            {
                **base(pk),
                "waited": waited[pk]["waited"],
                "days": days(waited[pk]["seconds"]),
                "average": days(waited[pk]["seconds"] / waited[pk]["waited"]),
            }
            for pk in order
            if pk in waited
        ]
        waited_total = sum(row["waited"] for row in wait_rows)
        waited_days = sum(row["days"] or 0 for row in wait_rows)
        received = Series("received", _("Reçues"))
        figures = [
            Figure(
                slug="recues",
                title=_("Demandes reçues"),
                description=_("Le nombre de demandes envoyées pendant la période, par démarche."),
                columns=[*head, Column("received", _("Reçues"))],
                rows=state_rows,
                category=PROCEDURE,
                series=[received],
                total={**total_label, "received": sum(row["received"] for row in state_rows)},
            ),
            Figure(
                slug="etats",
                title=_("Où en sont-elles aujourd'hui"),
                description=_(
                    "L'état actuel des demandes reçues pendant la période, par démarche ; "
                    "chaque barre porte le nom de l'état et son nombre."
                ),
                columns=[*head, *[Column(str(s), s.label) for s in SENT_STATES]],
                rows=state_rows,
                category=PROCEDURE,
                series=[Series(str(s), s.label) for s in SENT_STATES],
                total={**total_label, **{s: sum(row[s] for row in state_rows) for s in state_keys}},
            ),
            Figure(
                slug="delais",
                title=_("Délai jusqu'à la décision"),
                description=_(
                    "En jours, de l'envoi à l'acceptation ou au refus, pour les demandes de la "
                    "période déjà décidées : la médiane (la moitié a été décidée plus vite) et "
                    "le 90e centile (9 demandes sur 10 ont été décidées plus vite)."
                ),
                columns=[
                    *head,
                    Column("decided", _("Décidées")),
                    Column("median", _("Délai médian (jours)")),
                    Column("p90", _("90e centile (jours)")),
                ],
                rows=delay_rows,
                category=PROCEDURE,
                series=[Series("median", _("Médiane")), Series("p90", _("90e centile"))],
                unit=_("j"),
                total={
                    **total_label,
                    "decided": overall["decided"],
                    "median": days(overall["median"]),
                    "p90": days(overall["p90"]),
                },
            ),
            Figure(
                slug="silence",
                title=_("Dates de décision implicite dépassées"),
                description=_(
                    "Pour les démarches où le silence vaut décision : les demandes de la "
                    "période décidées après la date où le silence décide, ou toujours "
                    "sans décision passé cette date."
                ),
                columns=[
                    *head,
                    Column("ruled", _("Demandes soumises à la règle")),
                    Column("missed", _("Date dépassée")),
                ],
                rows=silence_rows,
                category=PROCEDURE,
                series=[Series("missed", _("Date dépassée"))],
                total={
                    **total_label,
                    "ruled": sum(row["ruled"] for row in silence_rows),
                    "missed": sum(row["missed"] for row in silence_rows),
                },
            ),
            Figure(
                slug="attente",
                title=_("Attente du demandeur"),
                description=_(
                    "Les demandes de la période mises « En attente de pièces ou "
                    "d'informations », et le temps passé à attendre la réponse du "
                    "demandeur (jusqu'à aujourd'hui pour celles qui attendent encore)."
                ),
                columns=[
                    *head,
                    Column("waited", _("Mises en attente")),
                    Column("days", _("Jours d'attente au total")),
                    Column("average", _("Moyenne par demande (jours)")),
                ],
                rows=wait_rows,
                category=PROCEDURE,
                series=[Series("average", _("Moyenne par demande"))],
                unit=_("j"),
                total={
                    **total_label,
                    "waited": waited_total,
                    "days": waited_days,
                    "average": waited_days / waited_total if waited_total else None,
                },
            ),
        ]
        return SectionFigures(
            slug=self.slug,
            title=str(self.title),
            introduction=_(
                "Les demandes envoyées pendant la période, des démarches que vous traitez."
            )
            if not user.is_superuser
            else _("Les demandes envoyées pendant la période, de toutes les démarches."),
            figures=figures,
        )


def register() -> None:
    from backoffice.statistics.registry import section_register

    section_register(RequestsSection())
