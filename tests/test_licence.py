"""The portal's code is published under the AGPL, version 3 or later (issue 23): the full
text in LICENSE, the SPDX expression in pyproject.toml, a README section."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_is_the_agpl_3_or_later_whole():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert len(text) > 30_000  # the whole text, not a notice


def test_the_package_and_the_readme_say_so():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Licence" in readme and "AGPL-3.0-or-later" in readme
