"""YAML without anchors or aliases, so that a small file stays small when it is read.

YAML lets a file name a value (``&name``) and repeat it elsewhere (``*name``). Nested
a few levels deep, a 1.5 KB file of them expands to billions of values when read (an
"alias bomb"), which takes minutes and every byte of memory before failing. City files
and mappings never need them, so :class:`PlainYamlLoader` stops at the first anchor or
alias it meets, before anything is built, and :class:`YamlAliasRefused` says where.

>>> yaml.load("name: Testville", Loader=PlainYamlLoader)
{'name': 'Testville'}
>>> yaml.load("a: &x [1, 2]\\nb: *x", Loader=PlainYamlLoader)
Traceback (most recent call last):
...
cda_lib.core.plain_yaml.YamlAliasRefused: line 1: anchor `&x`
"""

from __future__ import annotations

import yaml


class YamlAliasRefused(yaml.YAMLError):
    """A YAML anchor (``&name``) or alias (``*name``) was met; ``line`` counts from 1."""

    def __init__(self, mark: yaml.Mark, kind: str, marker: str):
        super().__init__(f"line {mark.line + 1}: {kind} `{marker}`")
        self.line = mark.line + 1
        self.kind = kind
        self.marker = marker

    def message(self, file_name: str, kind_of_file: str) -> str:
        """The reader's message: what was found, why it is refused, what to write instead."""
        return (
            f"In {file_name}, near line {self.line}, `{self.marker}` is a YAML {self.kind}: "
            f"a {kind_of_file} never needs one, and nested ones can make a small file grow "
            "to gigabytes when read, so the workbook does not read them. Fix: write each "
            "value out in full where it is used, instead of naming it with & and repeating "
            "it with *."
        )


class PlainYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors and aliases as soon as the parser meets one.

    The check is on the parser's events, before the composer builds a node, so an alias
    bomb is refused at its first anchor and never expanded.
    """

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlAliasRefused(event.start_mark, "alias", f"*{event.anchor}")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlAliasRefused(event.start_mark, "anchor", f"&{anchor}")
        return super().compose_node(parent, index)
