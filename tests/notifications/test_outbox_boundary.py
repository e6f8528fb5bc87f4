"""Only the notifications app reads, writes or deletes ``Message`` rows; the others go
through its services and selectors, and every topic is built by notifications.topics."""

import ast
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings

from notifications.attachments import attachment_build, builders
from notifications.topics import (
    ACCOUNT_CLOSED,
    account_topic,
    appointment_topic,
    payment_topic,
    request_topic,
)
from payments import notify as payments_notify

ROOT = Path(settings.BASE_DIR)
# The bench drives a running portal from outside, as a tool: it is no app of the portal.
OUTSIDE_THE_PORTAL = {"notifications", "tests", "bench", ".venv", "node_modules"}


def portal_modules():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in OUTSIDE_THE_PORTAL or "migrations" in parts:
            continue
        yield path


def imports_the_message_model(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "notifications.models"
        and any(alias.name == "Message" for alias in node.names)
        for node in ast.walk(tree)
    )


def test_no_app_but_notifications_touches_message_rows():
    offenders = [
        str(path.relative_to(ROOT))
        for path in portal_modules()
        if imports_the_message_model(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert offenders == []


HAND_SPELLED_TOPICS = (
    'f"request:{',
    'f"payment:{',
    'f"account:{',
    'f"appointment:{',
    '"account-closed"',
)


def every_module_but_this_one():
    """The tests and the bench too: a test that spells a topic by hand passes on after a
    rename of the topic's form, and so stops checking what the citizen sees."""
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"notifications", ".venv", "node_modules"} or "migrations" in parts:
            continue
        if path.resolve() != Path(__file__).resolve():
            yield path


def test_no_module_spells_a_topic_by_hand():
    spelled = [
        str(path.relative_to(ROOT))
        for path in every_module_but_this_one()
        for literal in HAND_SPELLED_TOPICS
        if literal in path.read_text()
    ]
    assert spelled == []


def test_topics_keep_the_form_stored_rows_have():
    assert request_topic(42) == "request:42"
    assert payment_topic(7) == "payment:7"
    assert account_topic(3) == "account:3"
    assert appointment_topic(5) == "appointment:5"
    assert ACCOUNT_CLOSED == "account-closed"


def test_payments_registered_the_receipt_builder_at_start_up():
    assert builders[payments_notify.RECEIPT] is payments_notify.receipt_attachment


def test_an_attachment_no_app_registered_fails_with_its_name():
    with pytest.raises(LookupError, match="payments.pdf.receipt_attachment"):
        attachment_build("payments.pdf.receipt_attachment", 1)


@pytest.mark.django_db
def test_a_receipt_waiting_under_its_old_dotted_path_takes_its_registered_name(citizen):
    from django.apps import apps

    from notifications.models import Message, MessageKind

    renaming = import_module("notifications.migrations.0002_attachment_builder_names")
    waiting = Message.objects.create(
        kind=MessageKind.ACKNOWLEDGEMENT,
        to_email=citizen.email,
        subject="Reçu",
        body_text="",
        body_html="",
        attachment_name="recu.pdf",
        attachment_builder="payments.pdf.receipt_attachment",
        attachment_arg=1,
    )
    renaming.to_names(apps, None)
    waiting.refresh_from_db()
    assert waiting.attachment_builder == payments_notify.RECEIPT


def test_only_the_demo_imports_the_demos_message_dating():
    """notifications.demo dates messages back: seed_demo's business, never production's."""
    importers = [
        str(path.relative_to(ROOT))
        for path in portal_modules()
        if path.relative_to(ROOT).parts[0] != "demo"
        and any(
            isinstance(node, ast.ImportFrom | ast.Import)
            and any(
                name == "notifications.demo"
                for name in ([node.module] if isinstance(node, ast.ImportFrom) else [])
                + [alias.name for alias in node.names]
            )
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        )
    ]
    assert importers == []
    services = (ROOT / "notifications" / "services.py").read_text()
    assert "def message_backdate" not in services and "demo" not in services
