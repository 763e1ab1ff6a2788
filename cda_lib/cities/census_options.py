"""What a city file may name in its ``census_acs`` demographics source.

The city file is checked against these before anything is downloaded; the Census
client (:mod:`cda_lib.sources.census`) asks for the same geographies and datasets.
"""

GEOGRAPHIES = {"tract": "tracts", "block group": "block groups", "place": "places",
               "county subdivision": "county subdivisions", "county": "counties",
               "zip code tabulation area": "zip code tabulation areas"}
DATASETS = ("acs/acs5", "acs/acs1")  # 5-year estimates cover tracts; 1-year only places of 65,000+
