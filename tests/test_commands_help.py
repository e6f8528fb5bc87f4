"""Ops commands: each says in French what it does, and what each of its options does."""

import re

import pytest
from django.core.management import load_command_class

COMMANDS = {
    "seed_demo": "demo",
    "purge": "privacy",
    "import_invoices": "payments",
    "reconcile_payments": "payments",
    "resend_notifications": "notifications",
    "send_due_notifications": "notifications",
    "export_requests": "procedures",
}
# Words that a French sentence uses, and an English one does not, and the reverse: an
# option's help may be a few words, which must at least not be English.
FRENCH = re.compile(r"\b(les|des|du|une|sans|pour|et|ou|le|la)\b", re.I)
ENGLISH = re.compile(r"\b(the|of|to|and|for|with|from|default|days|file|only|without)\b", re.I)
DJANGO_OPTIONS = {
    "help", "version", "verbosity", "settings", "pythonpath", "traceback",
    "no_color", "force_color", "skip_checks",
}  # fmt: skip


@pytest.mark.parametrize("name", COMMANDS)
def test_the_command_and_its_options_are_described_in_french(name):
    command = load_command_class(COMMANDS[name], name)
    assert FRENCH.search(command.help), command.help
    parser = command.create_parser("manage.py", name)
    own = [action for action in parser._actions if action.dest not in DJANGO_OPTIONS]
    for action in own:
        assert action.help and not ENGLISH.search(action.help), (name, action.dest, action.help)
