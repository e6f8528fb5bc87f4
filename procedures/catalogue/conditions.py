"""Conditions: which questions, pages, blocks and documents a citizen is shown.

Evaluated on the server, always: a hidden question is never required, never validated
and never stored (``prune`` drops whatever a crafted POST sent for it). A condition is
data (an earlier question, an operator of a fixed list, a value), never code: nothing
a clerk types is run. The browser's script (``static/js/conditions.js``) only mirrors
these rules to show and hide as the citizen answers.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.catalogue.definition import Block, Definition, Document, Page, Question, Rule
from procedures.catalogue.models import SUBJECT_OPERATORS, FieldKind, Join, Operator

NUMBER_KINDS = frozenset({FieldKind.NUMBER, FieldKind.INTEGER})
DATE_KINDS = frozenset({FieldKind.DATE})
MAJORITY = 18
VALUE_SEPARATOR = ";"


@dataclass(frozen=True)
class Subject:
    """What the account knows of the person concerned: their birth date, or None."""

    birth_date: date | None = None

    def age(self, today: date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        today = today or timezone.localdate()
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - before_birthday


NOBODY = Subject()


def as_number(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None


def as_date(value) -> date | None:
    text = str(value).strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def comparable(value, kind: str):
    if kind in NUMBER_KINDS:
        return as_number(value)
    if kind in DATE_KINDS:
        return as_date(value)
    return None


def split_values(text: str) -> list[str]:
    return [part.strip() for part in text.split(VALUE_SEPARATOR) if part.strip()]


def subject_rule_holds(rule: Rule, subject: Subject) -> bool:
    age = subject.age()
    if age is None:
        return False
    if rule.operator == Operator.SUBJECT_CHILD:
        return age < MAJORITY
    if rule.operator == Operator.SUBJECT_ADULT:
        return age >= MAJORITY
    limit = as_number(rule.value)
    return limit is not None and age < limit


def rule_holds(rule: Rule, answers: dict, subject: Subject, kinds: dict[str, str]) -> bool:
    """Whether one condition holds; an unanswered question satisfies none but « n'est
    pas cochée »."""
    if rule.operator in SUBJECT_OPERATORS:
        return subject_rule_holds(rule, subject)
    answer = answers.get(rule.source)
    if rule.operator == Operator.NOT_TICKED:
        return answer in (None, False, "non", "", [])
    if answer in (None, "", []):
        return False
    if rule.operator == Operator.TICKED:
        return answer is True or answer == "oui"
    given = [str(item) for item in answer] if isinstance(answer, list) else [str(answer)]
    if rule.operator == Operator.EQUALS:
        return rule.value.strip() in given
    if rule.operator == Operator.DIFFERS:
        return rule.value.strip() not in given
    if rule.operator == Operator.ONE_OF:
        return bool(set(split_values(rule.value)) & set(given))
    kind = kinds.get(rule.source, "")
    left, right = comparable(answer, kind), comparable(rule.value, kind)
    if left is None or right is None:
        return False
    return {
        Operator.GREATER: left > right,
        Operator.AT_LEAST: left >= right,
        Operator.LESS: left < right,
        Operator.AT_MOST: left <= right,
    }.get(rule.operator, False)


def shown(
    item: Question | Block | Page | Document,
    answers: dict,
    subject: Subject,
    kinds: dict[str, str],
) -> bool:
    if not item.conditions:
        return True
    results = (rule_holds(rule, answers, subject, kinds) for rule in item.conditions)
    return any(results) if item.join == Join.ANY else all(results)


def kinds_of(definition: Definition) -> dict[str, str]:
    return {question.name: question.kind for _index, question in definition.questions()}


def prune(definition: Definition, answers: dict, subject: Subject) -> dict:
    """The answers of the questions that are shown, and nothing else.

    Read in the form's order: a condition looks only at earlier questions, which are
    already pruned, so a chain (a question shown by a hidden one) falls with its head.
    Keys that no question of the definition owns (a question removed since) are dropped.
    """
    kinds = kinds_of(definition)
    kept: dict = {}
    for page in definition.pages:
        if not shown(page, kept, subject, kinds):
            continue
        for item in page.items:
            if not shown(item, kept, subject, kinds) or item.name not in answers:
                continue
            if isinstance(item, Question):
                if item.asked:
                    kept[item.name] = answers[item.name]
                continue
            items = answers[item.name] if isinstance(answers[item.name], list) else []
            kept[item.name] = [
                {
                    question.name: entry[question.name]
                    for question in item.questions
                    if question.asked
                    and question.name in entry
                    and shown(question, kept, subject, kinds)
                }
                for entry in items[: item.max_items]
                if isinstance(entry, dict)
            ]
    return kept


def visible_pages(definition: Definition, answers: dict, subject: Subject) -> list[int]:
    kinds = kinds_of(definition)
    return [
        index for index, page in enumerate(definition.pages) if shown(page, answers, subject, kinds)
    ]


def visible_documents(definition: Definition, answers: dict, subject: Subject) -> list[Document]:
    kinds = kinds_of(definition)
    return [
        document for document in definition.documents if shown(document, answers, subject, kinds)
    ]


def rule_in_words(rule: Rule, labels: dict[str, str]) -> str:
    operator = Operator(rule.operator)
    if rule.operator in SUBJECT_OPERATORS:
        if rule.operator == Operator.SUBJECT_UNDER:
            return _("la personne concernée a moins de %(age)s ans") % {"age": rule.value}
        return str(operator.label)
    label = labels.get(rule.source, rule.source)
    if rule.operator in (Operator.TICKED, Operator.NOT_TICKED):
        words = _("vous avez répondu « Oui » à « %(label)s »")
        if rule.operator == Operator.NOT_TICKED:
            words = _("vous n'avez pas répondu « Oui » à « %(label)s »")
        return words % {"label": label}
    verb = str(operator.label).split(" (")[0]
    return _("« %(label)s » %(verb)s « %(value)s »") % {
        "label": label,
        "verb": verb,
        "value": rule.value,
    }


def in_words(item, labels: dict[str, str]) -> str:
    """« Seulement si … »: an item's conditions as a sentence, for the page without
    JavaScript and for the admin."""
    if not item.conditions:
        return ""
    joiner = _(" ou ") if item.join == Join.ANY else _(" et ")
    return _("Seulement si %(rules)s.") % {
        "rules": joiner.join(rule_in_words(rule, labels) for rule in item.conditions)
    }
