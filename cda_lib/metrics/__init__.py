"""The numbers the workbook teaches with: selection and periods, the KPI suite, the
CityScore-style composite, control charts, targets, before/after evaluation and the data
quality profile; ``engine`` counts a large city's requests on disk with the same rules.
"""
