"""Reading one sheet of an Excel workbook, as the mapping chooses it.

A workbook can hold several sheets (one per year, a summary beside the data) and a
title above its column names. Nothing is guessed: a workbook with several sheets needs
the mapping's ``sheet:`` (a name, or a number from 1), and ``header_row:`` (from 1)
says which row holds the column names. Reading only the first sheet of several would
leave rows out of the account without a word.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cda_lib.core.errors import LoadError, did_you_mean, list_choices
from cda_lib.text.translation import N_, gettext as _, ngettext

HEADER_ROW_EXCEL_ONLY = N_("The mapping sets `header_row:`, which is read for Excel workbooks "
                         "only, but {name} is not one. Delete the rows above the column names "
                         "in the file and save it again, then remove `header_row:` from the "
                         "mapping.")


def read_excel_sheet(path: Path, sheet: str | int | None,
                     header_row: int | None) -> pd.DataFrame:
    """One sheet of ``path``, every cell as text (blanks empty), column names on ``header_row``."""
    with pd.ExcelFile(path) as workbook:
        name = choose_sheet(path.name, [str(s) for s in workbook.sheet_names], sheet)
        return pd.read_excel(workbook, sheet_name=name, header=(header_row or 1) - 1,
                             dtype=str, keep_default_na=False, na_values=[""])


def choose_sheet(file_name: str, sheets: list[str], sheet: str | int | None) -> str:
    """The name of the sheet to read; a clear error when the choice is missing or unknown."""
    if sheet is None:
        if len(sheets) == 1:
            return sheets[0]
        raise LoadError(_(
            "{name} holds {count} sheets, {sheets}, and the mapping does not say which one to "
            "read. Add `sheet:` to the mapping with the sheet's name (`sheet: \"{first}\"`) or "
            "its number (`sheet: 1` for the first).", name=file_name, count=len(sheets),
            sheets=list_choices(sheets), first=sheets[0]))
    if isinstance(sheet, int):
        if sheet > len(sheets):
            # YAML reads `sheet: 2025` as a number: a sheet named "2025" needs quotes
            named = (_(' For the sheet named "{sheet}", write the name in quotes: '
                       '`sheet: "{sheet}"`.', sheet=sheet) if str(sheet) in sheets else
                     _(" Set `sheet:` to a number from 1 to {count}, or to a sheet's name.",
                       count=len(sheets)))
            raise LoadError(ngettext(
                "The mapping asks for sheet {sheet} of {name}, which holds {count} sheet: "
                "{sheets}.{named}", "The mapping asks for sheet {sheet} of {name}, which holds "
                "{count} sheets: {sheets}.{named}", len(sheets), sheet=sheet, name=file_name,
                sheets=list_choices(sheets), named=named))
        return sheets[sheet - 1]
    if sheet not in sheets:
        raise LoadError(_(
            '{name} has no sheet called "{sheet}".{hint} Its sheets are {sheets}: set `sheet:` '
            "in the mapping to one of them.", name=file_name, sheet=sheet,
            hint=did_you_mean(sheet, sheets), sheets=list_choices(sheets)))
    return sheet
