"""Page 2.2's audit on Handcount's seven hand-worked datasets (tests/inventory_fixtures.py
has the table of checks), the sentences built from it, the fictional inventories of the
demo cities, and the quality dimensions of Handcount's 76 hand-counted requests.
"""

from __future__ import annotations

import pandas as pd
import pytest
from exercise_fixtures import hand_counted_data
from inventory_fixtures import AS_OF, ENTRIES, inventory_data

from cda_lib.cities.loader import load_city
from cda_lib.core.workspace import Workspace
from cda_lib.metrics.inventory_audit import CHECKS, audit_inventory, dataset_checks
from cda_lib.sources.catalog import CatalogEntry, frequency_days, normal_frequency
from cda_lib.sources.dcat_us import validate_catalog
from cda_lib.synth.inventory import BLUEPRINT, PLANTED, synthetic_inventory
from cda_lib.text.translation import use_language
from cda_lib.themes.invest.inventory import (
    city_inventory,
    export_inventory,
    gaps_table,
    headline,
    inventory_catalog,
    inventory_notice,
    inventory_table,
    record_inventory,
    scorecard_table,
    sensitivity_table,
)
from cda_lib.themes.invest.request_quality import (
    bias_sentences,
    dimensions_sentences,
    quality_dimensions,
    record_quality,
    timeliness_sentence,
)

DEMO_CITIES = ("riverbend", "villa-serena", "serra-clara", "port-harmon")


@pytest.fixture(scope="module")
def audit():
    return audit_inventory(ENTRIES, AS_OF)


@pytest.fixture(scope="module")
def inventory():
    return city_inventory(inventory_data())


def test_each_datasets_score_is_the_share_of_its_applicable_checks(audit):
    """The fixture's table: 8/9, 4/9, 7/9, 7/7, 3/8, 5/7 and 8/8, rounded to whole points."""
    table = audit.table.set_index("identifier")
    assert table["score"].to_dict() == {"potholes": 89, "street-lights": 44, "budget": 78,
                                        "employees": 100, "zoning": 38, "victims": 71,
                                        "trees": 100}
    assert table.loc["zoning", ["passed", "applicable"]].tolist() == [3, 8]
    assert table.loc["victims", ["passed", "applicable"]].tolist() == [5, 7]


def test_a_check_that_cannot_apply_counts_neither_way(audit):
    table = audit.table.set_index("identifier")
    # private: no licence and no open format asked; no frequency: nothing to be late against
    assert table.loc["employees", "license"] is None
    assert table.loc["employees", "open_format"] is None
    assert table.loc["zoning", "up_to_date"] is None and table.loc["trees", "up_to_date"] is None
    # a promise of daily updates with no date of update is not kept
    assert table.loc["victims", "up_to_date"] is False


def test_lateness_is_the_days_since_the_update_against_the_declared_period():
    """A monthly dataset (30.42 days) updated 30 days before is on time, 31 days late."""
    def late(days):
        entry = CatalogEntry("x", "X", frequency="R/P1M",
                             modified=AS_OF - pd.Timedelta(days=days), access_level="public")
        return dataset_checks(entry, AS_OF)["up_to_date"]

    assert (late(30), late(31)) == (True, False)


def test_a_private_dataset_needs_a_note_and_no_access_level_is_a_gap():
    def sensitivity(**fields):
        return dataset_checks(CatalogEntry("x", "X", **fields), AS_OF)["sensitivity"]

    assert sensitivity(access_level="public") is True
    assert sensitivity(access_level="non-public") is False
    assert sensitivity(access_level="non-public", rights="names of victims") is True
    assert sensitivity() is False


def test_frequencies_are_read_as_days():
    """R/P1Y 365 days; R/P1M a twelfth of that; R/PT12H half a day; words as ISO."""
    assert frequency_days("R/P1Y") == 365
    assert frequency_days("R/P1M") == pytest.approx(30.4167, abs=1e-4)
    assert frequency_days("R/PT12H") == 0.5
    assert frequency_days("irregular") is None and frequency_days("soon") is None
    assert [normal_frequency(w) for w in ("weekly", "quarterly", "R/P6M", "eventual", "x")] == \
        ["R/P1W", "R/P3M", "R/P6M", "irregular", ""]


def test_the_worst_gaps_are_counted_widest_first(audit):
    """Source 4 of 7, licence 3 of 5, up to date 2 of 5; then description and owner, 1 of 7
    each, first of the checks failed once."""
    gaps = audit.gaps()
    assert gaps[["check", "failing", "applicable"]].values.tolist() == [
        ["source", 4, 7], ["license", 3, 5], ["up_to_date", 2, 5], ["description", 1, 7],
        ["owner", 1, 7]]
    assert gaps["example"].tolist()[:2] == ["Potholes", "Street lights"]
    assert len(audit.gaps(limit=None)) == len(CHECKS)


def test_the_department_scorecard_is_half_metadata_a_quarter_each_share(audit):
    """Public Works: metadata (89 + 44) / 2 = 66.5, up to date 1 of 2, published 1 of 2:
    33.25 + 12.5 + 12.5 = 58.25. Police: 71, not up to date, nothing it may publish (full
    quarter): 35.5 + 0 + 25 = 60.5. Parks: 100, irregular (not known up to date), published:
    50 + 0 + 25 = 75. No department: 38 / 2 + 0 + 25 = 44."""
    card = audit.scorecard().set_index("department")
    assert card["score"].to_dict() == pytest.approx({
        "Human Resources": 100, "Finance": 89, "Parks": 75, "Police": 60.5,
        "Public Works": 58.25, "": 44})
    assert list(card.index) == ["Human Resources", "Finance", "Parks", "Police",
                                "Public Works", ""]
    assert card.loc["Public Works", ["datasets", "metadata", "up_to_date", "published"]
                    ].tolist() == [2, 66.5, 0.5, 0.5]


def test_the_headline_is_built_from_the_audit(inventory):
    """Average (89 + 44 + 78 + 100 + 38 + 71 + 100) / 7 = 520 / 7 = 74.3, written 74; two
    datasets score 100; the widest gap is the source, 4 of 7; the named departments run
    from Human Resources (100) to Public Works (58.25, written 58)."""
    assert str(headline(inventory)) == (
        "Handcount's inventory of 7 datasets scores 74 out of 100 on average; 2 datasets have "
        "every field they should. The widest gap is the source system: 4 of 7 datasets lack "
        "it. Human Resources leads the department scorecard with 100; Public Works trails "
        "with 58.")


def test_the_headline_in_spanish(inventory):
    with use_language("es"):
        text = str(headline(inventory))
    assert text.startswith("El inventario de 7 conjuntos de datos de Handcount obtiene en "
                           "promedio 74 de 100; 2 conjuntos de datos tienen todos los campos")
    assert "La brecha más amplia es el sistema de origen: les falta a 4 de 7" in text


def test_the_tables_read_as_sentences_not_code(inventory):
    table = inventory_table(inventory).to_frame()
    assert table.iloc[0].tolist() == [
        "Zoning", "(no department named)", "38",
        "a description, an owning department, a licence, an update frequency and the source "
        "system"]
    assert gaps_table(inventory).to_frame().iloc[1].tolist() == [
        "a licence", "3 of 5", "60%", "Street lights"]
    card = scorecard_table(inventory).to_frame().set_index("Department")
    # metadata 66.5, written 67 (halves up); 58.25 written 58
    assert card.loc["Public Works"].tolist() == ["2", "67", "50%", "50%", "58"]
    private = sensitivity_table(inventory).to_frame()
    assert private["Sensitivity note"].tolist() == ["Personal records: private by law.",
                                                    "no note: a gap"]
    assert "SYNTHETIC" not in str(inventory_notice(inventory)).split(".")[1]


def test_the_export_validates_and_writes_gaps_in_words(inventory, tmp_path):
    export = export_inventory(inventory, "handcount", tmp_path / "data.json")
    assert export.valid and export.datasets == 7
    assert str(export) == ("The inventory (7 datasets) is written as a DCAT-US 1.1 data.json "
                           "file, data.json, and it validates against the published JSON "
                           "Schema.")
    zoning = next(d for d in inventory_catalog(inventory)["dataset"] if d["identifier"] == "zoning")
    assert zoning["description"] == "No description in the inventory yet."
    assert zoning["publisher"] == {"@type": "org:Organization", "name": "Handcount"}
    victims = next(d for d in inventory_catalog(inventory)["dataset"]
                   if d["identifier"] == "victims")
    assert victims["accessLevel"] == "non-public"
    assert victims["rights"] == "The inventory does not say whether this dataset can be public."


def test_the_records_fit_their_declarations(inventory, tmp_path):
    workspace = Workspace("hand_counted_city", folder=tmp_path)
    export = export_inventory(inventory, "handcount", tmp_path / "data.json")
    record_inventory(workspace, inventory, export)
    record_quality(workspace, quality_dimensions(hand_counted_data()))
    summary = workspace.read("data_inventory")
    assert (summary["datasets"], summary["average_score"], summary["complete"]) == (7, 74.3, 2)
    assert summary["worst_gaps"][0] == "source: 4/7" and summary["data_json_valid"] is True
    card = workspace.read("department_scorecard")
    assert card[-2] == {"department": "Public Works", "datasets": 2, "metadata": 66.5,
                        "up_to_date": 0.5, "published": 0.5, "score": 58.2}
    assert workspace.read("request_quality")["bias_ratio"] == 4.0


# --- the quality dimensions of Handcount's requests -------------------------------------


def test_the_dimensions_of_handcounts_requests():
    """76 rows read. Set aside: a closed-before-opened row (consistency) and a future one
    (validity); kept: 2 with no district and 2 with no coordinates (completeness, 4)."""
    dimensions = quality_dimensions(hand_counted_data())
    assert dimensions.rows_read == 76
    assert dimensions.problems == {"completeness": 4, "validity": 1, "consistency": 1}
    assert str(dimensions_sentences(dimensions)) == (
        "The largest of the three is completeness: 4 problems in 76 rows read (5.3%).")


def test_timeliness_and_bias_of_handcounts_requests():
    """The newest request, 31 December 2025 09:00, is on the as-of date. Per 1,000 residents:
    North 30 / 2,000 = 15, South 20 / 4,000 = 5, East 20 / 1,000 = 20: East is 4 times South."""
    data = hand_counted_data()
    dimensions = quality_dimensions(data)
    assert dimensions.lag_days == 0
    assert "the data is current" in str(timeliness_sentence(dimensions, data.as_of))
    assert str(bias_sentences(dimensions)).startswith(
        "Bias risk: East sends 20 requests per 1,000 residents, 4.0 times as many as South (5)."
        " A gap that wide is worth a question")


# --- the fictional inventories ----------------------------------------------------------


@pytest.mark.parametrize("city_id", DEMO_CITIES)
def test_a_demo_citys_inventory_is_fictional_planted_and_valid(city_id):
    city = load_city(city_id)
    as_of = pd.Timestamp("2025-12-31")
    entries = synthetic_inventory(city, as_of)
    assert entries == synthetic_inventory(city, as_of)  # the same every time
    assert len(entries) == len(BLUEPRINT)
    audit = audit_inventory(entries, as_of)
    least, most = PLANTED["license"]
    assert least <= int((audit.table["license"] == False).sum()) <= most  # noqa: E712
    assert int((audit.table["up_to_date"] == False).sum()) >= 1  # noqa: E712
    from cda_lib.themes.invest.inventory import inventory_of

    document = inventory_catalog(inventory_of(city.name, entries, as_of, synthetic=True))
    assert validate_catalog(document) == []


def test_the_fictional_inventory_is_in_the_citys_language():
    titles = {c: synthetic_inventory(load_city(c), pd.Timestamp("2025-12-31"))[0].title
              for c in ("riverbend", "villa-serena", "serra-clara")}
    assert titles == {"riverbend": "311 service requests",
                      "villa-serena": "Solicitudes de servicio 311",
                      "serra-clara": "Solicitações de serviço 156"}


def test_two_cities_get_different_gaps():
    def gaps(city_id):
        entries = synthetic_inventory(load_city(city_id), pd.Timestamp("2025-12-31"))
        return [e.identifier.split("-", 1)[1] for e in entries if not e.license
                and e.access_level != "non-public"]

    assert gaps("riverbend") != gaps("villa-serena")
