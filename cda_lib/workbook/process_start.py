"""How a build process starts: skip, before anything imports it, what a build never uses.

nbformat imports jsonschema to validate notebooks, and jsonschema compiles a grammar for
checking IRIs (``rfc3987_syntax``) as it is imported: about a second of CPU in every
build process. Notebook validation never checks an IRI, so a build process does without
that module. This is done by the ``cda build`` command and each worker as they start,
never by importing cda_lib.
"""

from __future__ import annotations

import sys

IRI_GRAMMAR_MODULE = "rfc3987_syntax"


def skip_iri_grammar() -> None:
    """Make ``import rfc3987_syntax`` fail fast in this process (jsonschema then skips it)."""
    sys.modules.setdefault(IRI_GRAMMAR_MODULE, None)


def worker_entry(*args) -> None:
    """A build worker process's entry point (see :func:`cda_lib.workbook.worker.main`)."""
    skip_iri_grammar()
    from cda_lib.workbook import worker

    worker.main(*args)
