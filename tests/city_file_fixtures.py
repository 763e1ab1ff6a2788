"""Fairfield's city file, a small one kept in a test's own folder, to try a city file's
optional sources (``sources.stakeholders``, ``sources.district_boundaries``) one at a time."""

from __future__ import annotations

FAIRFIELD = """\
id: fairfield
name: Fairfield
country: United States
language: en
population: 4000
cohort: demo
bounds: {{south: 40.00, west: -80.10, north: 40.10, east: -80.00}}
districts:
  - {{id: A, name: Amber, population: 1000}}
sources:
  service_requests: {{kind: synthetic, seed: 1, start: 2024-01-01, end: 2025-12-31}}
  {source}: {options}
priorities: [Bring every group to the table]
service_standards: {{POTHOLE: 5}}
"""


def fairfield_city_file(source: str, options: str) -> str:
    """Fairfield's city file with ``sources.<source>: <options>`` (YAML flow mapping) beside
    its synthetic requests."""
    return FAIRFIELD.format(source=source, options=options)
