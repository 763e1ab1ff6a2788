"""Building the workbook: every notebook for every city, the index, the site, the cohort page.

Modules, from the bottom up: ``notebooks`` (find and read source notebooks), ``jobs`` (what
to build, and the hash of each job's inputs), ``kernels`` and ``forkserver`` (fresh kernels,
started fast), ``runner`` (one job), ``worker`` and ``cohort`` (many jobs in parallel),
``manifest`` (the record of a build), ``html`` (offline pages), ``site`` (the index page),
``selfpaced`` (the self-paced site), ``dashboard`` (the cohort page) and ``execute``
(``build_city``, one city).
"""

import sys

# jsonschema, which nbformat imports to validate notebooks, compiles a grammar for checking
# IRIs (rfc3987_syntax) when it is imported: about a second of CPU in every build process.
# Notebook validation never checks an IRI, so the build does without that module.
sys.modules.setdefault("rfc3987_syntax", None)
