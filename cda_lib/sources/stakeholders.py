"""A city's own stakeholder list, read from a CSV file with an account of every row.

Page 3.1 maps who has a stake in the city's data work. A coach or a city may give its own
list (``sources.stakeholders`` in the city file, ``kind: local`` and the ``path`` of a CSV
file beside it); without one the page makes a synthetic list
(:mod:`cda_lib.synth.stakeholders`). The file has one row per stakeholder and these
columns (letter case and spaces around names do not matter):

- ``name`` (required): the organisation or group, as the team calls it;
- ``interest`` and ``influence`` (required): whole numbers from 1 (little) to 5 (a great
  deal): how much the stakeholder cares about the work, and how much it can shape it;
- ``group`` (optional): one of :data:`GROUPS` (council, department, union, neighbourhood,
  community, business, media, residents, civic_tech, university, other); it decides
  which of the city's figures the engagement plan offers. Left empty or unknown: other;
- ``district`` (optional): a district of the city file, for a group that speaks for one.

Every row is kept or set aside with its reason: rows read = kept + set aside.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "stakeholders.csv"
>>> _ = path.write_text("name,interest,influence\\nCouncil,4,5\\nTenants,6,2\\n")
>>> load = read_stakeholders(path)
>>> load.table["name"].tolist(), load.account.rows_set_aside
(['Council'], 1)
>>> load.account.summary_lines()[1]
'Set aside 1 of 2 rows: interest is not a whole number from 1 to 5'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cda_lib.core.account import LoadAccount
from cda_lib.core.errors import LoadError, list_choices
from cda_lib.text.translation import N_, gettext as _

GROUPS = ("council", "department", "union", "neighbourhood", "community", "business",
          "media", "residents", "civic_tech", "university", "other")
REQUIRED = ("name", "interest", "influence")
OPTIONAL = ("group", "district")
SCORES = (1, 5)  # the scale of interest and influence: 1 little, 5 a great deal
COLUMNS = ("name", "group", "district", "interest", "influence")

NO_NAME = N_("no name")
BAD_INTEREST = N_("interest is not a whole number from 1 to 5")
BAD_INFLUENCE = N_("influence is not a whole number from 1 to 5")
SAME_NAME = N_("the same name as an earlier row")
UNKNOWN_GROUP = N_("group not one the workbook knows (read as other)")
UNKNOWN_DISTRICT = N_("district not in the city file (left empty)")


@dataclass(frozen=True)
class StakeholderLoad:
    """The stakeholders kept (:data:`COLUMNS`) and the account of the rows read."""

    table: pd.DataFrame
    account: LoadAccount


def _score(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values.str.strip(), errors="coerce")
    whole = numbers.notna() & (numbers % 1 == 0) & numbers.between(*SCORES)
    return numbers.where(whole)


def read_stakeholders(path: str | Path, *, districts=()) -> StakeholderLoad:
    """Read a stakeholder CSV: keep each row with a name and two scores from 1 to 5."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""],
                          encoding="utf-8-sig")
    except FileNotFoundError:
        raise LoadError(_("There is no stakeholder file at {path}. Check sources.stakeholders"
                          ".path in the city file: it is relative to the city file.",
                          path=str(path))) from None
    except (UnicodeDecodeError, ValueError, OSError) as error:
        raise LoadError(_("{name} could not be read as CSV: {error}. Open it in a "
                          "spreadsheet to check it, or export it again.", name=path.name,
                          error=str(error))) from None
    raw.columns = [str(column).strip().lower() for column in raw.columns]
    missing = [column for column in REQUIRED if column not in raw.columns]
    if missing:
        raise LoadError(_("The stakeholder file {name} has no {missing} column. Its columns "
                          "are {columns}; it needs {needed}.", name=path.name,
                          missing=list_choices(missing), columns=list_choices(raw.columns),
                          needed=list_choices(REQUIRED)))
    account = LoadAccount.start(path.name, raw)
    names = raw["name"].fillna("").str.strip()
    interest, influence = _score(raw["interest"].fillna("")), _score(raw["influence"].fillna(""))
    account.set_aside(names == "", NO_NAME)
    account.set_aside(interest.isna(), BAD_INTEREST, details=raw["interest"])
    account.set_aside(influence.isna(), BAD_INFLUENCE, details=raw["influence"])
    account.set_aside(names.str.casefold().duplicated() & (names != ""), SAME_NAME,
                      details=names)
    group = raw["group"].fillna("").str.strip().str.lower().str.replace(" ", "_") \
        if "group" in raw.columns else pd.Series("", index=raw.index, dtype="string")
    unknown = (group != "") & ~group.isin(GROUPS)
    account.flag(unknown, UNKNOWN_GROUP)
    group = group.where(group.isin(GROUPS), "other")
    district = raw["district"].fillna("").str.strip() if "district" in raw.columns else \
        pd.Series("", index=raw.index, dtype="string")
    known = [str(name) for name in districts]
    strange = (district != "") & ~district.isin(known)
    account.flag(strange, UNKNOWN_DISTRICT)
    district = district.where(~strange, "")
    table = pd.DataFrame({"name": names, "group": group, "district": district,
                          "interest": interest, "influence": influence})
    kept = account.kept_rows(table)
    kept = kept.astype({"name": str, "group": str, "district": str, "interest": int,
                        "influence": int})
    account.verify()
    return StakeholderLoad(kept[list(COLUMNS)], account)
