"""Safe YAML reading that remembers where each record and field stands in its file.

Mappings come back as :class:`Located` dicts that know their line and the line of each key, so that
every message about the data can name the file and line. Dates stay strings (the loader reads them
with their precision), and a key given twice in one mapping is reported rather than silently dropped.

Anchors and aliases (``&a``, ``*a``) are allowed as long as the document they stand for stays small:
one whose aliases would expand it beyond :data:`MAX_EXPANDED_NODES` values (a "billion laughs") is
refused before anything is built from it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.errors import Problem


class Located(dict):
    """A mapping read from YAML, with ``line`` (1-based) and ``key_lines`` (key → line)."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of ``key`` when present, else the mapping's own line."""
        return self.key_lines.get(key, self.line)


MAX_EXPANDED_NODES = 1_000_000
"""The most values a YAML document may hold once its aliases are expanded."""

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it


class _Loader(_SAFE_LOADER):
    """The safe loader, building :class:`Located` mappings and keeping timestamps as text."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []
        self.bad_keys: list[int] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            loader.bad_keys.append(line)  # a list or a mapping as a key ("? [x]")
            continue
        if key in mapping:
            loader.duplicates.append((line, str(key)))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = line


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _expanded_size(root) -> int:
    """How many values a composed YAML document holds with every alias expanded, counted without
    expanding them (each node's size is computed once), capped just past the bound. A node that
    contains itself (``&a [*a]``) would expand without end: it counts as past the bound."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)] if root is not None else []
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [item for pair in node.value for item in pair]
        if not children_done:
            if id(node) in open_nodes:
                return MAX_EXPANDED_NODES + 1  # the node is inside itself
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(node))
        sizes[id(node)] = min(1 + sum(sizes.get(id(child), 1) for child in children), MAX_EXPANDED_NODES + 1)
    return sizes.get(id(root), 0)


class TooLarge(yaml.YAMLError):
    """A YAML document whose anchors and aliases would expand beyond :data:`MAX_EXPANDED_NODES` values."""


def _single_document(loader):
    """The loader's one document, refused before anything is built from it when its aliases would
    expand it beyond the bound."""
    node = loader.get_single_node()
    if _expanded_size(node) > MAX_EXPANDED_NODES:
        raise TooLarge(f"its anchors and aliases expand to more than {MAX_EXPANDED_NODES:,} values")
    return None if node is None else loader.construct_document(node)


def bounded_document(text: str):
    """The document in YAML text, read safely (plain dicts and lists), refusing one whose aliases would
    expand it beyond :data:`MAX_EXPANDED_NODES` values.

    Raises
    ------
    yaml.YAMLError
        For text that is not YAML, or expands too far (:class:`TooLarge`).
    """
    loader = yaml.SafeLoader(text)
    try:
        return _single_document(loader)
    finally:
        loader.dispose()


def read_records(path: Path, label: str) -> tuple[list[Located], list[Problem], bool]:
    """Read a YAML file holding a list of mappings.

    Parameters
    ----------
    path : Path
        The file, which exists (:mod:`kg.loaders.data` checks the folder's files first).
    label : str
        How messages name the file (usually its path relative to the data folder's parent).

    Returns
    -------
    (records, problems, readable)
        The mappings in file order, every problem found in the file's form, and whether the file
        could be read as a list of records at all.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(label, None, None, f"cannot read the file: {error}", "save it as UTF-8 text")], False
    loader = _Loader(text)
    try:
        document = _single_document(loader)
    except TooLarge as error:
        return [], [Problem(label, None, None, str(error), "write the records out instead of nesting aliases")], False
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = None if mark is None else mark.line + 1
        reason = getattr(error, "problem", None) or str(error)
        return [], [Problem(label, line, None, f"invalid YAML: {reason}", "check indentation, colons and quotes")], False
    finally:
        loader.dispose()
    problems = [
        Problem(label, line, None, f"the key {key!r} appears twice in one record", "keep one of them")
        for line, key in loader.duplicates
    ] + [Problem(label, line, None, "a key must be a word, not a list or a mapping", "write field: value")
         for line in loader.bad_keys]
    if document is None:
        return [], problems, True
    if not isinstance(document, list):
        problems.append(Problem(label, 1, None, "the file must hold a list of records", "start each record with '- '"))
        return [], problems, False
    records = []
    for index, item in enumerate(document):
        if isinstance(item, Located):
            records.append(item)
        else:
            problems.append(
                Problem(label, None, f"record {index + 1}", f"expected a mapping of fields, found {item!r}",
                        "write each record as '- id: ...' followed by its fields")
            )
    return records, problems, True
