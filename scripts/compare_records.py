"""Compare what two builds recorded, city by city: the same keys, the same values.

Every notebook records its key figures in ``build/<city>/workspace/records.json``; a
change that should not alter any figure (a restructure, a faster engine) must leave those
records as they were. This compares two build folders (or two folders of
``<city>.records.json`` files), ignoring when each record was made and how its module id
is spelt ("1_lead/01", "01_lead/01" and "1.1" are the same module), and prints one line
per city and one per difference. Exit status 0 when every city matches, 1 otherwise.

    python scripts/compare_records.py BEFORE_BUILD AFTER_BUILD [CITY ...]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

SPELLINGS = (
    re.compile(r"^(\d+)_[a-z_]+/(\d+)$"),  # "1_lead/05", "00_welcome/02"
    re.compile(r"^(\d+)\.(\d+)$"),  # "0.2", "1.5"
)


def canonical_module(module: str) -> str:
    """One spelling for a module id: its curriculum number, e.g. "1.5".

    >>> [canonical_module(m) for m in ("1_lead/05", "00_welcome/02", "0.2", "1.5")]
    ['1.5', '0.2', '0.2', '1.5']
    """
    for pattern in SPELLINGS:
        match = pattern.match(str(module))
        if match:
            return f"{int(match.group(1))}.{int(match.group(2))}"
    return str(module)


def records_file(folder: Path, city: str) -> Path:
    for candidate in (folder / city / "workspace" / "records.json",
                      folder / f"{city}.records.json"):
        if candidate.exists():
            return candidate
    return folder / city / "workspace" / "records.json"


def cities_in(folder: Path) -> list[str]:
    found = {p.parent.parent.name for p in folder.glob("*/workspace/records.json")}
    found |= {p.name.removesuffix(".records.json") for p in folder.glob("*.records.json")}
    return sorted(found)


def comparable(records: dict[str, Any]) -> dict[str, Any]:
    """Each record's value and canonical module, without its time stamp."""
    return {key: {"value": entry.get("value"), "module": canonical_module(entry.get("module"))}
            for key, entry in records.items()}


def differences(before: Any, after: Any, where: str = "") -> list[str]:
    """Where two JSON values differ; numbers must be equal (NaN equals NaN).

    >>> differences({"a": [1, 2.5]}, {"a": [1, 2.5]})
    []
    >>> differences({"a": [1, 2.5]}, {"a": [1, 2.6], "b": 0})
    ['a[1]: 2.5 -> 2.6', 'b: only after']
    """
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            path = f"{where}.{key}" if where else str(key)
            if key not in after:
                found.append(f"{path}: only before")
            elif key not in before:
                found.append(f"{path}: only after")
            else:
                found += differences(before[key], after[key], path)
        return found
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{where}: {len(before)} items -> {len(after)} items"]
        return [d for i, (b, a) in enumerate(zip(before, after, strict=True))
                for d in differences(b, a, f"{where}[{i}]")]
    if isinstance(before, float) and isinstance(after, float) and math.isnan(before) \
            and math.isnan(after):
        return []
    if before != after or type(before) is not type(after):
        return [f"{where}: {before!r} -> {after!r}"]
    return []


def compare(before_dir: Path, after_dir: Path, cities: list[str]) -> tuple[list[str], bool]:
    lines, same = [], True
    for city in cities:
        paths = records_file(before_dir, city), records_file(after_dir, city)
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            lines.append(f"{city}: no records at {', '.join(missing)}")
            same = False
            continue
        before, after = (comparable(json.loads(p.read_text(encoding="utf-8"))) for p in paths)
        found = differences(before, after)
        lines.append(f"{city}: {len(before)} records before, {len(after)} after, "
                     + ("identical" if not found else f"{len(found)} differences"))
        lines += [f"  {line}" for line in found]
        same = same and not found
    return lines, same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("cities", nargs="*")
    arguments = parser.parse_args(argv)
    cities = arguments.cities or sorted(set(cities_in(arguments.before))
                                        | set(cities_in(arguments.after)))
    lines, same = compare(arguments.before, arguments.after, cities)
    print("\n".join(lines))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
