"""The optional tools some tests need (issue 23): the README calls them optional, so
`make test` passes without them. Outside CI a test that needs a missing one is skipped with
a one-line reason naming the package to install; in CI (CI=true) it fails, as the tools are
installed there (.ci/run). A test asks with ``@pytest.mark.needs_tool("espeak-ng")``, or
calls ``require`` from a fixture or a helper.

Each tool is looked up on PATH, so that tests/test_optional_tools.py can hide it."""

import os
import shutil

import pytest

INSTALL = {
    "espeak-ng": "apt-get install espeak-ng",  # the captcha's French audio
    "java": "apt-get install default-jre-headless",  # the W3C Nu HTML checker
    "chromium": "apt-get install chromium",  # the browser tests
    "nginx": "apt-get install nginx-light",  # the reverse proxy's configuration, parsed
}


def require(tool: str) -> str:
    """The tool's path; else a skip with its reason, or a failure in CI."""
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI : {tool} est introuvable ({INSTALL[tool]}).", pytrace=False)
    pytest.skip(f"{tool} introuvable, test ignoré : {INSTALL[tool]}")
