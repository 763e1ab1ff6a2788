"""The ground every other layer stands on: errors, paths, files, schema, the load account,
the workspace and the registry of what modules record for each other.

Nothing here imports from a higher layer of ``cda_lib``.
"""
