"""The W3C Nu HTML checker the browser tests rely on runs, and catches an error: where
java is missing (outside CI) this is the test that says so, skipped with its reason, and
the session's validation of every page is off (tests/e2e/html_validity.py)."""

import pytest

from tests.e2e.html_validity import Document, validate

pytestmark = pytest.mark.needs_tool("java")

VALID = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title></head>'
    "<body><p>Bonjour</p></body></html>"
)


def test_the_nu_checker_accepts_a_valid_page_and_names_an_error(tmp_path):
    for folder in ("ok", "ko"):
        (tmp_path / folder).mkdir()
    assert validate([Document("/ok/", "GET", VALID)], tmp_path / "ok") == []
    broken = VALID.replace("<p>Bonjour</p>", "<p><div>Bonjour</p>")
    errors = validate([Document("/ko/", "GET", broken)], tmp_path / "ko")
    assert errors and "GET /ko/" in errors[0]
