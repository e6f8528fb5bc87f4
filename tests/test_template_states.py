"""Templates compare states with the models' enum members (``request.State.ACCEPTED``),
never with the stored strings: a renamed value would otherwise silently change a page
or a mail."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STORED_STATE = re.compile(r"""\.state\s*(?:==|!=)\s*["']""")


def test_no_template_compares_a_state_with_a_stored_string():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STORED_STATE.search(line)
    ]
    assert offenders == []
