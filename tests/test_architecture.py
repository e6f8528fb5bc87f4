"""The dependency rule of docs/architecture.md, read from the import statements of every module.

Dependencies point one way: ``common`` (the ground floor) knows no package of the
project; the domain apps build on ``common`` and on the apps below them, never on the
shell (``citizen_portal``) nor on the demo; ``demo`` builds on the apps; ``bench`` and
``tests`` are imported by no package of the portal. A newcomer reading one layer never needs the
layers above it, and moving an app's helper into ``common`` cannot pull an app along.

Imports are read with ``ast`` (those inside functions included), not executed: a
module that is imported lazily to break a cycle still counts.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_FOLDERS = {".venv", "var", "node_modules", "static", "templates", "migrations"}

GROUND_FLOOR = "common"
SHELL = "citizen_portal"
DEMO = "demo"
TOOLING = {"bench", "tests"}
NOT_DOMAIN = {GROUND_FLOOR, SHELL, DEMO, *TOOLING}

# The domain apps from the bottom up: an app may import the apps of the layers below
# its own, never one of its layer or above. An app missing from this list (a new one)
# is held to the other rules only, until someone places it here.
LAYERS = [
    {"backoffice"},  # roles, scoping and the access journal every admin uses
    {"accounts"},
    {"households"},  # a household belongs to an account
    {"notifications"},  # tells the account holder; knows accounts and households' signals
    {
        "procedures",
        "payments",
        "franceconnect",
        "staff_login",
        "appointments",
    },  # none knows another
    {"privacy"},  # retention, exports and closure read every app's data
]

# Imports that break the rule, each with its reason: none today. An entry here is a debt,
# named with why it is owed.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def project_packages() -> set[str]:
    """Every top-level package of the repository: a folder with an ``__init__.py``."""
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in SKIPPED_FOLDERS
    }


def domain_apps() -> set[str]:
    return project_packages() - NOT_DOMAIN


def modules() -> Iterator[tuple[str, Path]]:
    """(dotted name, path) of every Python module of the project's packages."""
    for package in sorted(project_packages()):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if SKIPPED_FOLDERS.intersection(relative.parts):
                continue
            dotted = ".".join(relative.with_suffix("").parts)
            yield dotted.removesuffix(".__init__"), path


def imported_names(path: Path) -> set[str]:
    """The absolute module names a file imports (``from x import y`` gives ``x.y``, whether
    ``y`` is a module or a name in ``x``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def project_imports() -> list[tuple[str, str]]:
    """(importing module, imported project module), one pair per import."""
    packages = project_packages()
    pairs = []
    for module, path in modules():
        for name in imported_names(path):
            if name.split(".")[0] in packages:
                pairs.append((module, name))
    return pairs


IMPORTS = project_imports()


def package_of(module: str) -> str:
    return module.split(".")[0]


def is_known_exception(importer: str, imported: str) -> bool:
    return any(
        importer == known_importer and (imported + ".").startswith(known_imported + ".")
        for known_importer, known_imported in KNOWN_EXCEPTIONS
    )


def breaking(rule) -> list[str]:
    return sorted(
        f"{importer} imports {imported}"
        for importer, imported in IMPORTS
        if rule(package_of(importer), package_of(imported))
        and not is_known_exception(importer, imported)
    )


def test_the_reader_finds_the_imports_it_is_meant_to_check():
    """Guards the test itself: a reader that saw nothing would let everything pass."""
    assert ("procedures.models", "common.fsm.RefreshableStateMixin") in IMPORTS
    assert ("demo.management.commands.seed_demo", "demo.people") in IMPORTS
    assert ("procedures.catalogue.cache", "procedures.catalogue.selectors") in IMPORTS
    assert {"common", "demo", "citizen_portal", "accounts", "privacy"} <= project_packages()
    assert {"accounts", "households", "procedures", "payments"} <= domain_apps()


def test_the_ground_floor_imports_no_package_of_the_project():
    assert breaking(lambda importer, imported: importer == GROUND_FLOOR != imported) == []


def test_no_domain_app_imports_the_shell_or_the_demo():
    domain = domain_apps()
    assert (
        breaking(lambda importer, imported: importer in domain and imported in {SHELL, DEMO}) == []
    )


def test_only_the_bench_and_the_tests_import_the_demo():
    allowed = {DEMO, *TOOLING}
    assert breaking(lambda importer, imported: imported == DEMO and importer not in allowed) == []


def test_no_package_of_the_portal_imports_the_bench_or_the_tests():
    """The tests may import the bench (they check it); nothing that runs the site may."""
    assert (
        breaking(lambda importer, imported: imported in TOOLING and importer not in TOOLING) == []
    )


@pytest.mark.parametrize(
    "layer", range(len(LAYERS)), ids=lambda index: "+".join(sorted(LAYERS[index]))
)
def test_an_app_imports_only_the_apps_of_the_layers_below_its_own(layer):
    below = set().union(*LAYERS[:layer])
    listed = set().union(*LAYERS)
    assert (
        breaking(
            lambda importer, imported: (
                importer in LAYERS[layer]
                and imported in listed
                and imported != importer
                and imported not in below
            )
        )
        == []
    )


def test_every_domain_app_sits_on_a_layer_or_is_new():
    """The layers name only apps that exist: a renamed app must be renamed here too."""
    assert set().union(*LAYERS) <= domain_apps()


# The catalogue's own room inside ``procedures``: requests are made from the catalogue,
# never the reverse, so that the catalogue reads (and later moves) without the requests.
CATALOGUE = "procedures.catalogue"


def in_catalogue(module: str) -> bool:
    return (module + ".").startswith(CATALOGUE + ".")


# What the catalogue may use of the rest of ``procedures``: the check of an uploaded
# file by its content, which knows no request (a file question uses it too).
CATALOGUE_MAY_IMPORT = {"procedures.uploads"}


def test_the_catalogue_imports_nothing_of_the_requests():
    assert [
        f"{importer} imports {imported}"
        for importer, imported in IMPORTS
        if in_catalogue(importer)
        and package_of(imported) == "procedures"
        and not in_catalogue(imported)
        and not any((imported + ".").startswith(f"{allowed}.") for allowed in CATALOGUE_MAY_IMPORT)
    ] == []


def test_the_catalogue_models_are_those_the_app_has_always_had():
    """Re-exported by ``procedures.models``, they keep their app label and migrations."""
    from procedures import models
    from procedures.catalogue import models as catalogue_models

    for name in ("Theme", "Procedure", "ProcedureField", "DocumentRequirement"):
        model = getattr(catalogue_models, name)
        assert getattr(models, name) is model
        assert model._meta.app_label == "procedures"
