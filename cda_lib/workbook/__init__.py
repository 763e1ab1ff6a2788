"""Building the workbook: every notebook for every city, the index, the site, the cohort page.

Modules, from the bottom up: ``notebooks`` (find and read source notebooks), ``jobs`` (what
to build, and the hash of each job's inputs), ``kernels`` and ``forkserver`` (fresh kernels,
started fast), ``runner`` (one job), ``worker`` and ``cohort`` (many jobs in parallel),
``manifest`` (the record of a build), ``html`` (offline pages), ``site`` (the index page),
``selfpaced`` (the self-paced site), ``dashboard`` (the cohort page), ``execute``
(``build_city``, one city) and ``process_start`` (how a build process starts).
"""
