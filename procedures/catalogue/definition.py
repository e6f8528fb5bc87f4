"""A procedure's form as plain data: its pages, their questions and repeated blocks, the
documents it asks for, and the conditions that show each of them.

One object serves everything that reads a form: the citizen's pages, the récapitulatif,
the PDF, the exports, the admin's « Aperçu », the file a town gives another
(``procedures.catalogue.exchange``), and the copy a request keeps when it is sent
(``Request.definition``), so that a later edit of the catalogue rewrites no request.
It is built from the catalogue's rows (``from_procedure``, from what the catalogue's
selector prefetched: no query) or read back from JSON (``from_json``).
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from procedures.catalogue.models import FieldKind, Join, Procedure

# Kinds that ask nothing (shown only) or whose answer is a file row, not a JSON value.
NOT_ASKED = frozenset({FieldKind.EXPLANATION})
FILE_KINDS = frozenset({FieldKind.FILE})
# The one page of a procedure that has not been cut into pages.
DEFAULT_PAGE_TITLE = "Votre demande"


@dataclass
class Rule:
    """One condition: ``source`` is the name of an earlier question, or "" for the
    person concerned."""

    source: str
    operator: str
    value: str = ""


@dataclass
class Question:
    name: str
    label: str
    kind: str
    required: bool = True
    help_text: str = ""
    choices: list[str] = field(default_factory=list)
    minimum: str | None = None
    maximum: str | None = None
    unit: str = ""
    min_days: int | None = None
    max_days: int | None = None
    not_before: str = ""
    accept_other: bool = False
    members_of: str = ""
    file_types: str = ""
    file_max_mb: int | None = None
    conditions: list[Rule] = field(default_factory=list)
    join: str = Join.ALL

    @property
    def asked(self) -> bool:
        return self.kind not in NOT_ASKED


@dataclass
class Block:
    name: str
    label: str
    min_items: int = 1
    max_items: int = 5
    questions: list[Question] = field(default_factory=list)
    conditions: list[Rule] = field(default_factory=list)
    join: str = Join.ALL


@dataclass
class Page:
    title: str
    items: list[Question | Block] = field(default_factory=list)
    conditions: list[Rule] = field(default_factory=list)
    join: str = Join.ALL


@dataclass
class Document:
    """An expected supporting document; ``id`` is its requirement's primary key in the
    catalogue it was read from (None in an exchange file)."""

    label: str
    help_text: str = ""
    id: int | None = None
    conditions: list[Rule] = field(default_factory=list)
    join: str = Join.ALL


@dataclass
class Definition:
    revision: int = 1
    pages: list[Page] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    def questions(self) -> list[tuple[int, Question]]:
        """(page index, question) of every question outside blocks, in order."""
        return [
            (index, item)
            for index, page in enumerate(self.pages)
            for item in page.items
            if isinstance(item, Question)
        ]

    def blocks(self) -> list[tuple[int, Block]]:
        return [
            (index, item)
            for index, page in enumerate(self.pages)
            for item in page.items
            if isinstance(item, Block)
        ]

    def question(self, name: str) -> Question | None:
        for _index, question in self.questions():
            if question.name == name:
                return question
        return None

    def page_of(self, name: str) -> int | None:
        """The index of the page holding the question or block named ``name``."""
        for index, page in enumerate(self.pages):
            for item in page.items:
                if item.name == name:
                    return index
        return None

    def positions(self) -> dict[str, int]:
        """The order of every question and block (a block's questions share its place)."""
        found, position = {}, 0
        for page in self.pages:
            for item in page.items:
                found[item.name] = position
                if isinstance(item, Block):
                    for question in item.questions:
                        found.setdefault(f"{item.name}.{question.name}", position)
                position += 1
        return found

    def to_json(self) -> dict:
        return {
            "revision": self.revision,
            "pages": [page_to_json(page) for page in self.pages],
            "documents": [asdict(document) for document in self.documents],
        }


def page_to_json(page: Page) -> dict:
    items = []
    for item in page.items:
        entry = asdict(item)
        entry["type"] = "bloc" if isinstance(item, Block) else "question"
        items.append(entry)
    return {
        "title": page.title,
        "items": items,
        "conditions": [asdict(rule) for rule in page.conditions],
        "join": page.join,
    }


def rules_from(data: list[dict]) -> list[Rule]:
    return [Rule(**rule) for rule in data]


def question_from(data: dict) -> Question:
    data = dict(data)
    data.pop("type", None)
    data["conditions"] = rules_from(data.get("conditions", []))
    return Question(**data)


def from_json(data: dict) -> Definition:
    """Read back what ``to_json`` wrote (a request's snapshot; an exchange file once
    ``exchange`` checked it)."""
    pages = []
    for page in data.get("pages", []):
        items: list[Question | Block] = []
        for item in page["items"]:
            if item.get("type") == "bloc":
                block = dict(item)
                block.pop("type")
                block["questions"] = [question_from(q) for q in block.get("questions", [])]
                block["conditions"] = rules_from(block.get("conditions", []))
                items.append(Block(**block))
            else:
                items.append(question_from(item))
        pages.append(
            Page(
                title=page["title"],
                items=items,
                conditions=rules_from(page.get("conditions", [])),
                join=page.get("join", Join.ALL),
            )
        )
    documents = [
        Document(**{**document, "conditions": rules_from(document.get("conditions", []))})
        for document in data.get("documents", [])
    ]
    return Definition(revision=data.get("revision", 1), pages=pages, documents=documents)


def decimal_text(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def from_procedure(procedure: Procedure) -> Definition:
    """The definition of the catalogue's rows, read from what was prefetched (pages,
    blocks, fields, documents, conditions: ``selectors.procedure_with_form``)."""
    fields = list(procedure.fields.all())
    names = {row.pk: row.name for row in fields}
    rules: dict[tuple[str, int], list[Rule]] = {}
    for condition in procedure.conditions.all():
        for target in ("field", "page", "block", "document"):
            target_id = getattr(condition, f"{target}_id")
            if target_id is not None:
                rules.setdefault((target, target_id), []).append(
                    Rule(
                        source=names.get(condition.source_id, ""),
                        operator=condition.operator,
                        value=condition.value,
                    )
                )

    def question(row) -> Question:
        return Question(
            name=row.name,
            label=row.label,
            kind=row.kind,
            required=row.required,
            help_text=row.help_text,
            choices=row.choice_list,
            minimum=decimal_text(row.minimum),
            maximum=decimal_text(row.maximum),
            unit=row.unit,
            min_days=row.min_days,
            max_days=row.max_days,
            not_before=row.not_before,
            accept_other=row.accept_other,
            members_of=row.members_of,
            file_types=row.file_types,
            file_max_mb=row.file_max_mb,
            conditions=rules.get(("field", row.pk), []),
            join=row.condition_join,
        )

    page_rows = list(procedure.pages.all())
    first_page_id = page_rows[0].pk if page_rows else None
    placed: dict[int | None, list[tuple[tuple, Question | Block]]] = {}
    for block_row in procedure.blocks.all():
        block = Block(
            name=block_row.name,
            label=block_row.label,
            min_items=block_row.min_items,
            max_items=block_row.max_items,
            questions=[question(row) for row in fields if row.block_id == block_row.pk],
            conditions=rules.get(("block", block_row.pk), []),
            join=block_row.condition_join,
        )
        page_id = block_row.page_id or first_page_id
        placed.setdefault(page_id, []).append(((block_row.order, 1, block_row.pk), block))
    for row in fields:
        if row.block_id is None:
            page_id = row.page_id or first_page_id
            placed.setdefault(page_id, []).append(((row.order, 0, row.pk), question(row)))

    def items_of(page_id) -> list[Question | Block]:
        return [item for _key, item in sorted(placed.get(page_id, []), key=lambda pair: pair[0])]

    if page_rows:
        pages = [
            Page(
                title=row.title,
                items=items_of(row.pk),
                conditions=rules.get(("page", row.pk), []),
                join=row.condition_join,
            )
            for row in page_rows
        ]
    else:
        pages = [Page(title=DEFAULT_PAGE_TITLE, items=items_of(None))]
    documents = [
        Document(
            label=row.label,
            help_text=row.help_text,
            id=row.pk,
            conditions=rules.get(("document", row.pk), []),
            join=row.condition_join,
        )
        for row in procedure.documents.all()
    ]
    return Definition(revision=procedure.revision, pages=pages, documents=documents)


def definition_of(procedure: Procedure) -> Definition:
    """The procedure's definition, built once per object (the catalogue's cache keeps the
    object, and with it what was built)."""
    built = getattr(procedure, "_definition", None)
    if built is None:
        built = from_procedure(procedure)
        procedure._definition = built
    return built


def request_definition(citizen_request: Any) -> Definition:
    """What a request is read with: the copy kept at sending, else (a draft, or a request
    sent before copies were kept) the catalogue's current form."""
    if citizen_request.definition:
        return from_json(citizen_request.definition)
    return definition_of(citizen_request.procedure)
