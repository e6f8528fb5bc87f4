"""docs/architecture.md names files and modules; each must exist, or a newcomer follows
the document to code that moved or was deleted (issue 17 moved a dozen modules, and
comments kept pointing at ``citizen_portal/logs.py`` after it became ``common/logs.py``).

Only what is plainly a reference is checked: a backticked path (``procedures/pdf.py``,
``tests/e2e/``), a backticked file name (``pdf.py``: somewhere in the repository), or a
dotted name that starts with one of the project's packages
(``common.queueing.delay_quietly``). Patterns such as ``templates/<app>/`` are prose.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCUMENT = ROOT / "docs" / "architecture.md"
# The style guide (issue 23) names the code it takes its examples from: checked alike.
STYLE = ROOT / "docs" / "style.md"
PACKAGES = (
    "accounts",
    "backoffice",
    "citizen_portal",
    "common",
    "demo",
    "franceconnect",
    "households",
    "notifications",
    "payments",
    "privacy",
    "procedures",
    "staff_login",
)
NOT_SEARCHED = {".venv", "node_modules", ".git"}

BACKTICKED = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"[a-z_][\w.-]*(?:/[\w.-]+)*/?")
FILE_NAME = re.compile(r"[\w-]+\.(?:py|md|html|txt)")
DOTTED = re.compile(rf"(?:{'|'.join(PACKAGES)})(?:\.\w+)+")


def references() -> set[str]:
    return {
        found
        for document in (DOCUMENT, STYLE)
        for found in BACKTICKED.findall(document.read_text(encoding="utf-8"))
    }


def file_names_in_the_repository() -> set[str]:
    return {
        path.name
        for path in ROOT.rglob("*")
        if not NOT_SEARCHED.intersection(path.relative_to(ROOT).parts)
    }


def resolves(dotted: str) -> bool:
    """The longest importable module, then attributes for the rest."""
    parts = dotted.split(".")
    for length in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:length]))
        except ModuleNotFoundError:
            continue
        for name in parts[length:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_path_the_document_names_exists():
    paths = [text for text in references() if "/" in text and PATH.fullmatch(text)]
    assert paths, "the pattern no longer finds the document's paths"
    assert [path for path in sorted(paths) if not (ROOT / path).exists()] == []


def test_every_file_name_the_document_names_exists_somewhere():
    names = [text for text in references() if FILE_NAME.fullmatch(text)]
    assert names, "the pattern no longer finds the document's file names"
    existing = file_names_in_the_repository()
    assert [name for name in sorted(names) if name not in existing] == []


@pytest.mark.parametrize("dotted", sorted(text for text in references() if DOTTED.fullmatch(text)))
def test_every_dotted_name_of_the_project_resolves(dotted):
    assert resolves(dotted), f"{dotted} is named in docs/architecture.md but does not exist"


def test_the_architecture_cites_the_repositorys_own_style_guide():
    text = DOCUMENT.read_text(encoding="utf-8")
    assert "`docs/style.md`" in text
    assert "team's style guide" not in text
