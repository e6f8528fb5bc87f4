"""What makes a form unsound, in French: checked when the admin saves a procedure and
when a procedure is imported (nothing is imported while one problem is left).

A condition looks only at an earlier question (so no cycle can form), outside any
block, that asks something; its operator fits that question; its value exists (one of
the choices) or reads as the number or date it is compared with.
"""

from django.utils.translation import gettext as _

from procedures.catalogue.conditions import as_date, as_number, split_values
from procedures.catalogue.definition import Block, Definition, Question, Rule
from procedures.catalogue.models import SUBJECT_OPERATORS, FieldKind, Operator

CHOICE_KINDS = frozenset({FieldKind.CHOICE, FieldKind.MULTIPLE_CHOICE})
YES_NO_KINDS = frozenset({FieldKind.CHECKBOX, FieldKind.YES_NO})
ORDER_OPERATORS = frozenset({Operator.GREATER, Operator.AT_LEAST, Operator.LESS, Operator.AT_MOST})
VALUE_OPERATORS = frozenset({Operator.EQUALS, Operator.DIFFERS, Operator.ONE_OF})
COMPARABLE_KINDS = frozenset({FieldKind.NUMBER, FieldKind.INTEGER, FieldKind.DATE})


def rule_problem(
    rule: Rule, *, target: str, target_position: float, definition: Definition, positions
) -> str | None:
    """Why one condition of ``target`` cannot work, or None."""
    if rule.operator not in Operator.values:
        return _("« %(target)s » : opérateur inconnu « %(op)s ».") % {
            "target": target,
            "op": rule.operator,
        }
    if rule.operator in SUBJECT_OPERATORS:
        if rule.operator == Operator.SUBJECT_UNDER and as_number(rule.value) is None:
            return _("« %(target)s » : indiquez un âge en années.") % {"target": target}
        return None
    source = definition.question(rule.source)
    if source is None:
        return _(
            "« %(target)s » dépend de « %(source)s », qui n'est pas une question du "
            "formulaire hors des blocs."
        ) % {"target": target, "source": rule.source}
    if not source.asked or source.kind == FieldKind.FILE:
        return _("« %(target)s » dépend de « %(source)s », qui ne reçoit pas de réponse.") % {
            "target": target,
            "source": source.label,
        }
    if positions[source.name] >= target_position:
        return _(
            "« %(target)s » dépend de « %(source)s », qui n'est pas avant lui : une "
            "condition ne porte que sur une question posée plus haut."
        ) % {"target": target, "source": source.label}
    return value_problem(rule, target=target, source=source)


def value_problem(rule: Rule, *, target: str, source: Question) -> str | None:
    names = {"target": target, "source": source.label, "value": rule.value}
    if rule.operator in ORDER_OPERATORS:
        if source.kind not in COMPARABLE_KINDS:
            return (
                _(
                    "« %(target)s » : « %(source)s » n'est ni un nombre ni une date, on ne peut "
                    "pas le comparer."
                )
                % names
            )
        parse = as_date if source.kind == FieldKind.DATE else as_number
        if parse(rule.value) is None:
            return _("« %(target)s » : « %(value)s » n'est pas une valeur de « %(source)s ».") % (
                names
            )
    if rule.operator in (Operator.TICKED, Operator.NOT_TICKED) and source.kind not in (
        YES_NO_KINDS
    ):
        return _("« %(target)s » : « %(source)s » n'est pas une case ni un oui/non.") % names
    if rule.operator in VALUE_OPERATORS:
        values = split_values(rule.value) if rule.operator == Operator.ONE_OF else [rule.value]
        if not values or not all(value.strip() for value in values):
            return _("« %(target)s » : indiquez la valeur attendue.") % names
        if source.kind in CHOICE_KINDS:
            unknown = [value for value in values if value.strip() not in source.choices]
            if unknown:
                return _(
                    "« %(target)s » : « %(value)s » n'est pas un des choix de « %(source)s »."
                ) % {**names, "value": unknown[0]}
        if source.kind == FieldKind.YES_NO and any(v not in ("oui", "non") for v in values):
            return _("« %(target)s » : la valeur d'un oui/non est « oui » ou « non ».") % names
    return None


def question_problems(question: Question, definition: Definition, positions) -> list[str]:
    found = []
    if question.kind in CHOICE_KINDS and not question.choices:
        found.append(_("« %(label)s » : écrivez ses choix.") % {"label": question.label})
    if question.not_before:
        earlier = definition.question(question.not_before)
        if earlier is None or earlier.kind != FieldKind.DATE:
            found.append(
                _("« %(label)s » : « %(name)s » n'est pas un champ date du formulaire.")
                % {"label": question.label, "name": question.not_before}
            )
        elif positions[earlier.name] >= positions.get(question.name, float("inf")):
            found.append(
                _("« %(label)s » : la date « %(name)s » doit être demandée avant.")
                % {"label": question.label, "name": earlier.label}
            )
    bounded = question.minimum is not None and question.maximum is not None
    if bounded and as_number(question.minimum) > as_number(question.maximum):
        found.append(
            _("« %(label)s » : le minimum dépasse le maximum.") % {"label": question.label}
        )
    return found


def problems(definition: Definition, *, concerns_a_member: bool = True) -> list[str]:
    """Every problem of the form, in reading order; [] when it is sound."""
    positions = definition.positions()
    found: list[str] = []
    seen: set[str] = set()

    def check_rules(item, label: str, position: float) -> None:
        for rule in item.conditions:
            if rule.operator in SUBJECT_OPERATORS and not concerns_a_member:
                found.append(
                    _("« %(target)s » : cette démarche ne concerne pas un membre du foyer.")
                    % {"target": label}
                )
                continue
            problem = rule_problem(
                rule,
                target=label,
                target_position=position,
                definition=definition,
                positions=positions,
            )
            if problem:
                found.append(problem)

    page_start = 0
    for page in definition.pages:
        check_rules(page, page.title, page_start)
        for item in page.items:
            if item.name in seen:
                found.append(
                    _("Le nom technique « %(name)s » est utilisé deux fois.") % {"name": item.name}
                )
            seen.add(item.name)
            check_rules(item, item.label, positions[item.name])
            if isinstance(item, Block):
                if not item.max_items >= 1 or item.min_items > item.max_items:
                    found.append(
                        _("« %(label)s » : le nombre maximum est au moins 1 et le minimum.")
                        % {"label": item.label}
                    )
                for question in item.questions:
                    if question.kind == FieldKind.FILE:
                        found.append(
                            _("« %(label)s » : un bloc répété ne contient pas de fichier.")
                            % {"label": question.label}
                        )
                    check_rules(question, question.label, positions[item.name])
                    found.extend(question_problems(question, definition, positions))
            else:
                found.extend(question_problems(item, definition, positions))
        page_start += len(page.items)
    for document in definition.documents:
        check_rules(document, document.label, float("inf"))
    return found
