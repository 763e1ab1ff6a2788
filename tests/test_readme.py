"""The README cannot drift from the tree: its layout, its layers and the coach's checklist.

- "What is inside" names every top-level folder the repository holds, and its ``cda_lib``
  block names every package and module of the library and nothing that does not exist.
- The layering sentence lists the layers in the order ``tests/test_architecture.py``
  enforces.
- The coach's checklist in the README is the one ``cda --help`` prints.
"""

from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path

from test_architecture import LAYERS

from cda_lib import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ )", README, re.M | re.S)
    assert match, f'the README has no section "{heading}"'
    return match.group(1)


def code_blocks(text: str) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", text, re.S)


def tracked_top_level_folders() -> set[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return {f.split("/")[0] for f in files if "/" in f and not f.startswith(".")}


def library_block() -> str:
    blocks = [b for b in code_blocks(section("What is inside")) if b.startswith("cda_lib/")]
    assert len(blocks) == 1, "What is inside needs one block that starts with cda_lib/"
    return blocks[0]


def test_what_is_inside_names_every_top_level_folder():
    layout = code_blocks(section("What is inside"))[0]
    named = {line.split("/")[0] for line in layout.splitlines()
             if re.match(r"^[a-z_]+/", line)}
    assert tracked_top_level_folders() <= named
    assert named - {"build"} <= tracked_top_level_folders() | {"build"}


def described_modules() -> dict[str, set[str]]:
    """{package: modules named on its lines} from the README's cda_lib block.

    A package line is ``  name/   what it holds: module, module (why), ...``; a module is
    a name in backticks or a bare word followed by a comma, parenthesis or line end on the
    package's lines.
    """
    packages: dict[str, set[str]] = {}
    current = None
    for line in library_block().splitlines()[1:]:
        heading = re.match(r"^  ([a-z_]+)(/|\.py)\s", line + " ")
        if heading:
            current = heading.group(1) + heading.group(2)
            packages[current] = set()
        if current and current.endswith("/"):
            packages[current] |= set(re.findall(r"`([a-z_]+)`", line))
    return packages


def test_the_library_block_names_every_package_and_module():
    package_dir = ROOT / "cda_lib"
    described = described_modules()
    actual = {p.name + "/" for p in package_dir.iterdir()
              if p.is_dir() and p.name != "__pycache__"}
    actual |= {p.name for p in package_dir.glob("*.py") if p.name != "__init__.py"}
    assert set(described) == actual
    for package, modules in described.items():
        folder = package_dir / package
        if not package.endswith("/") or not (folder / "__init__.py").exists():
            continue
        present = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
        present |= {p.name for p in folder.iterdir()
                    if p.is_dir() and (p / "__init__.py").exists()}
        assert modules == present, f"{package}: README names {sorted(modules)}, " \
                                   f"the folder holds {sorted(present)}"


def test_the_layering_sentence_is_the_enforced_order():
    match = re.search(r"Lowest first: (.+?`)\.", " ".join(README.split()))
    assert match, 'the README needs the sentence "Lowest first: `text` < `core` < ... ."'
    written = [[name.strip(" `") for name in layer.split(",")]
               for layer in match.group(1).split("<")]
    assert written == LAYERS


def checklist_commands(text: str) -> list[str]:
    commands = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(\d+\.\s+)?", "", line)
        if line.startswith(("cda ", "make ")):
            commands.append(re.split(r"\s{2,}", line)[0])
    return commands


def test_the_readme_checklist_is_the_one_cda_help_prints():
    readme_block = code_blocks(section("For coaches: the `cda` command"))[0]
    assert checklist_commands(readme_block) == checklist_commands(cli.CHECKLIST)
    assert len(checklist_commands(cli.CHECKLIST)) >= 7


def test_every_import_the_readme_shows_exists():
    """A reader copies the README's code: each ``from cda_lib... import name`` must work."""
    shown = [line for block in re.findall(r"```python\n(.*?)```", README, re.S)
             for line in block.splitlines() if line.startswith(("from cda_lib", "import cda_lib"))]
    assert shown, "the README shows some imports"
    for line in shown:
        namespace: dict = {}
        exec(line, namespace)  # noqa: S102 - the README's own import lines


def resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            if not hasattr(found, part):
                return False
            found = getattr(found, part)
        return True
    return False


def test_every_library_name_the_readmes_mention_exists():
    readmes = [ROOT / "README.md", ROOT / "exercises" / "README.md",
               ROOT / "benchmarks" / "README.md"]
    named = {name for path in readmes
             for name in re.findall(r"cda_lib(?:\.[A-Za-z_]+)+", path.read_text("utf-8"))}
    assert "cda_lib.core.errors.CdaError" in named
    assert not [name for name in sorted(named) if not resolves(name)]
    assert not resolves("cda_lib.metrics.no_such_module")
