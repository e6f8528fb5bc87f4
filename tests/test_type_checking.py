"""mypy (django-stubs) checks common/, every services and selectors module and the payment
providers (issue 23; `make lint`, hence CI): a new services or selectors module is
checked as soon as it exists, or this test names it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "node_modules", "tests", "var"}


def checked() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["mypy"]["files"]


def covered(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(
        relative == entry or relative.startswith(entry.rstrip("/") + "/") for entry in checked()
    )


def test_every_services_and_selectors_module_and_the_providers_are_type_checked():
    wanted = [
        path
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in SKIPPED
        and (
            path.stem in {"services", "selectors"}
            or path.parent.name in {"services", "selectors", "providers"}
            or path.relative_to(ROOT).parts[0] == "common"
        )
    ]
    assert len(wanted) > 30
    missing = [str(path.relative_to(ROOT)) for path in wanted if not covered(path)]
    assert missing == []


def test_mypy_runs_in_make_lint():
    lint = (ROOT / "Makefile").read_text().split("\nlint:")[1].split("\n\n")[0]
    assert "mypy" in lint
