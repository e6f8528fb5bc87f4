"""A request's answers read through its form: by page for the récapitulatif, as rows for
the clerk's page, the PDF and the exports, and what a draft still lacks.

A sent request is read with the form it was sent with (``Request.definition``), a draft
with the catalogue's current form. Only what the conditions show is read: a hidden
question was never stored, and is never listed.
"""

from django.utils.translation import gettext as _

from procedures.catalogue import kinds
from procedures.catalogue.conditions import Subject, kinds_of, shown
from procedures.catalogue.definition import Block, Definition, request_definition
from procedures.catalogue.models import FieldKind
from procedures.catalogue.page_form import entry_key, question_key


def subject_of(citizen_request) -> Subject:
    """The person concerned as the request knows them (the member, or its snapshot)."""
    member = citizen_request.member if citizen_request.member_id else None
    birth_date = member.birth_date if member is not None else citizen_request.subject_birth_date
    return Subject(birth_date=birth_date)


def file_names(citizen_request) -> dict[str, str]:
    return {
        doc.field_name: doc.original_name
        for doc in citizen_request.documents.all()
        if doc.field_name
    }


def anchor(question, key: str) -> str:
    """The id of a question's first input on its page (a group of boxes: its first box)."""
    grouped = question.kind in (
        FieldKind.MULTIPLE_CHOICE,
        FieldKind.MEMBERS,
        FieldKind.YES_NO,
    ) or (question.kind == FieldKind.CHOICE and len(question.choices) <= 5)
    if question.kind == FieldKind.ADDRESS:
        return f"id_{key}__voie"
    return f"id_{key}_0" if grouped else f"id_{key}"


def answer_pages(citizen_request, definition: Definition | None = None) -> list[dict]:
    """The pages shown to the citizen, each with its answered rows:
    ``{"index", "title", "rows": [{"name", "label", "value"}]}``; a block's items numbered."""
    definition = definition or request_definition(citizen_request)
    answers = citizen_request.answers or {}
    subject = subject_of(citizen_request)
    kind_of = kinds_of(definition)
    files = file_names(citizen_request)
    pages = []
    for index, page in enumerate(definition.pages):
        if not shown(page, answers, subject, kind_of):
            continue
        rows = []
        for item in page.items:
            if not shown(item, answers, subject, kind_of):
                continue
            if isinstance(item, Block):
                rows.extend(block_rows(item, answers, subject, kind_of))
            elif item.asked:
                if item.kind == FieldKind.FILE:
                    value = files.get(item.name, "")
                else:
                    value = kinds.display(item, answers.get(item.name))
                rows.append(
                    {
                        "name": item.name,
                        "label": item.label,
                        "value": value,
                        "anchor": anchor(item, question_key(item.name)),
                    }
                )
        pages.append({"index": index, "title": page.title, "rows": rows})
    return pages


def block_rows(block: Block, answers: dict, subject: Subject, kind_of) -> list[dict]:
    entries = answers.get(block.name)
    rows = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        for question in block.questions:
            if not question.asked or not shown(question, answers, subject, kind_of):
                continue
            rows.append(
                {
                    "name": f"{block.name}.{number}.{question.name}",
                    "label": _("%(block)s %(number)s — %(label)s")
                    % {"block": block.label, "number": number, "label": question.label},
                    "value": kinds.display(question, entry.get(question.name)),
                    "anchor": anchor(question, entry_key(block.name, number - 1, question.name)),
                }
            )
    return rows


def answer_rows(citizen_request) -> list[dict]:
    return [row for page in answer_pages(citizen_request) for row in page["rows"]]


def missing(citizen_request, definition: Definition) -> list[dict]:
    """Each required answer a draft lacks, with the page to complete it on:
    ``{"page", "anchor", "label"}``. The person concerned is the caller's."""
    answers = citizen_request.answers or {}
    subject = subject_of(citizen_request)
    kind_of = kinds_of(definition)
    files = set(file_names(citizen_request))
    lacking = []
    for index, page in enumerate(definition.pages):
        if not shown(page, answers, subject, kind_of):
            continue
        for item in page.items:
            if not shown(item, answers, subject, kind_of):
                continue
            if isinstance(item, Block):
                lacking.extend(block_missing(item, index, answers, subject, kind_of))
            elif item.asked and no_longer_fits(item, answers.get(item.name)):
                lacking.append(
                    {
                        "page": index,
                        "anchor": anchor(item, question_key(item.name)),
                        "label": _("%(label)s (votre réponse ne correspond plus au formulaire)")
                        % {"label": item.label},
                    }
                )
            elif item.asked and item.required:
                given = (
                    item.name in files
                    if item.kind == FieldKind.FILE
                    else kinds.is_given(item, answers.get(item.name))
                )
                if not given:
                    lacking.append(
                        {
                            "page": index,
                            "anchor": anchor(item, question_key(item.name)),
                            "label": item.label,
                        }
                    )
    return lacking


def no_longer_fits(question, value) -> bool:
    """A draft's answer to a choice that the form no longer offers (the catalogue
    changed since it was saved)."""
    if value in (None, "", []):
        return False
    if question.kind == FieldKind.CHOICE:
        return value not in question.choices
    if question.kind == FieldKind.MULTIPLE_CHOICE:
        return not isinstance(value, list) or any(v not in question.choices for v in value)
    if question.kind == FieldKind.YES_NO:
        return value not in (kinds.YES, kinds.NO)
    return False


def block_missing(block: Block, page: int, answers: dict, subject, kind_of) -> list[dict]:
    entries = answers.get(block.name)
    entries = entries if isinstance(entries, list) else []
    lacking = []
    if len(entries) < block.min_items:
        lacking.append(
            {
                "page": page,
                "anchor": f"block-{block.name}",
                "label": _("%(block)s : au moins %(count)s")
                % {"block": block.label, "count": block.min_items},
            }
        )
    for number, entry in enumerate(entries, start=1):
        for question in block.questions:
            if not (question.asked and question.required):
                continue
            if not shown(question, answers, subject, kind_of):
                continue
            if not kinds.is_given(question, entry.get(question.name)):
                lacking.append(
                    {
                        "page": page,
                        "anchor": anchor(
                            question, entry_key(block.name, number - 1, question.name)
                        ),
                        "label": _("%(block)s %(number)s — %(label)s")
                        % {"block": block.label, "number": number, "label": question.label},
                    }
                )
    return lacking
