"""`make test` passes on a machine without the optional tools (issue 23): each one hidden
from PATH in turn, the tests that need it are skipped with a one-line reason and the rest
pass; in CI the same absence fails. The tests run in a child pytest (on SQLite, so that
it never meets this session's test database)."""

import os
import subprocess
import sys

import pytest

from tests.processes import ROOT
from tests.tools import INSTALL

pytestmark = pytest.mark.processes

# Every test that needs the tool, and a neighbour that must pass without it.
AFFECTED = {
    "espeak-ng": [
        "tests/accounts/test_captcha.py",
        "tests/accounts/test_registration.py::test_the_form_asks_what_a_town_hall_needs_and_names_its_button",
        "tests/test_doors.py",
        "tests/e2e/test_anonymous_certificate.py",
    ],
    "java": ["tests/e2e/test_nu_checker.py"],
    "chromium": ["tests/e2e/test_anonymous_certificate.py"],
}


def path_without(tool: str, folder) -> str:
    """A PATH with every program of this one but ``tool`` (links in one folder)."""
    folder.mkdir()
    seen = {tool}
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.name in seen or not os.access(entry.path, os.X_OK) or entry.is_dir():
                continue
            seen.add(entry.name)
            os.symlink(entry.path, folder / entry.name)
    return str(folder)


def child_pytest(tool: str, tmp_path, *, ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DATABASE_URL", None)
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    env["PATH"] = path_without(tool, tmp_path / "bin")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", *AFFECTED[tool]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("tool", sorted(AFFECTED))
def test_a_missing_optional_tool_skips_its_tests_with_the_reason(tool, tmp_path):
    done = child_pytest(tool, tmp_path, ci=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    reason = f"{tool} introuvable, test ignoré : {INSTALL[tool]}"
    assert reason in output, output[-4000:]
    if tool == "espeak-ng":  # the captcha and its doors still work without the sound
        assert " passed" in output.splitlines()[-1], output[-2000:]


def test_in_ci_a_missing_optional_tool_fails(tmp_path):
    done = child_pytest("java", tmp_path, ci=True)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-4000:]
    assert "CI : java est introuvable" in output, output[-4000:]
