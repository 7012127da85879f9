"""Reading and writing YAML records.

Two readers, one dialect:

* ``read_fast`` (every listing, ``rj due``, reports): libyaml through PyYAML's
  C parser, about 14x faster than a round-trip load (shared/PERFORMANCE.md). Its
  resolver is narrowed to YAML 1.2's core schema, the dialect ruamel.yaml writes,
  so both readers agree on every value: ``yes`` and ``no`` stay words, ``0777`` and
  ``07432945841`` are decimal (a schema that wants a phone as text then catches an
  unquoted one instead of silently losing its leading zero). It also refuses
  duplicate keys, anchors and aliases (no alias bombs) and impossible dates,
  each with the line and column.
  Where rapidyaml is installed, the plain records rj writes are read through it instead
  (``fastread``, ~10x faster), only where it gives exactly the same answer.
* ``RoundTrip`` (only the record being changed): ruamel.yaml's round-trip mode,
  tuned so that an unchanged record saves byte-identical and an appended entry
  changes only added lines in ``git diff`` (measured: shared/PERFORMANCE.md).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rjcli.core import limits
from rjcli.core.dates import check_in_range
from rjcli.storage.recordfile import (  # noqa: F401  (re-exported: every reader uses them)
    MAX_RECORD_BYTES,
    YamlProblem,
    decode,
    read_bytes,
)


class _LazyPattern:
    """A regular expression compiled the first time it is used."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: Any, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _COMPILE(*self._args)
        return getattr(self._compiled, name)


_COMPILE = re.compile


@contextlib.contextmanager
def _patterns_compiled_on_first_use() -> Iterator[None]:
    """While PyYAML is imported, its module-level ``re.compile`` calls (YAML 1.1
    resolvers, the pure-Python reader's character check) return patterns compiled on
    first use. rj never uses most of them (libyaml reads, its own 1.2 resolver), and
    compiling them costs ~17 ms of every process that reads a changed record."""
    re.compile = _LazyPattern  # type: ignore[assignment]
    try:
        yield
    finally:
        re.compile = _COMPILE


with _patterns_compiled_on_first_use():
    import yaml


class _Core12Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema resolution (what ruamel.yaml reads and writes)."""


_Core12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Core12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9_]+|[-+]?0b[01_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Core12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+(?:[eE][-+][0-9]+)?|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Core12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Core12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])$""",
        re.X,
    ),
    list("0123456789"),
)


_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map",
                                            "timestamp"))
"""The values a record holds: JSON's, and dates. ``!!binary``, ``!!set``, ``!!omap``,
``!!python/...`` and any other tag are refused where they are written."""
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
"""Text a record's date and moment fields hold (``"2026-04-01 14:30"``): its year is kept
within the same bounds as a YAML date's."""


_MAX_TEXT = limits.MAX_TEXT


def _refuse(message: str, node: Any) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


class _RecordConstructor(yaml.constructor.SafeConstructor):
    """Safe construction that refuses what a record never needs, and any value outside the
    limits of the schemas (``limits``) where it is written, so no rule ever meets it."""

    def __init__(self) -> None:
        yaml.constructor.SafeConstructor.__init__(self)
        self._depths: dict[Any, int] = {}

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _refuse("anchors and aliases (&name / *name) are not allowed in records", node)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace(_CORE, "!!")
            raise _refuse(f"the tag {tag} is not allowed in a record (plain text, numbers, "
                          "dates, true/false, lists and mappings only)", node)
        return super().construct_object(node, deep=deep)

    def _nested(self, parent: Any, child: Any) -> None:
        """Refuse collections nested deeper than limits.MAX_DEPTH (the depth of each is
        noted as it is met: construction is not recursive, so the depth is not known)."""
        if isinstance(child, (yaml.MappingNode, yaml.SequenceNode)):
            depth = self._depths.get(parent, 1) + 1
            if depth > limits.MAX_DEPTH:
                raise _refuse(f"nested more than {limits.MAX_DEPTH} levels deep", child)
            self._depths[child] = depth

    def construct_sequence(self, node: Any, deep: bool = False) -> list[Any]:
        for child in node.value if isinstance(node, yaml.SequenceNode) else ():
            if child.__class__ is not yaml.ScalarNode:
                self._nested(node, child)
        return super().construct_sequence(node, deep=deep)  # type: ignore[no-any-return]

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise _refuse(f"expected a mapping, found {node.id}", node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, bool, date)) and key is not None:
                raise _refuse("a key must be a plain word", key_node)
            if isinstance(key, str) and len(key) > limits.MAX_KEY:
                raise _refuse(f"a field name longer than {limits.MAX_KEY:,} characters",
                              key_node)
            if key in mapping:
                raise _refuse(f"duplicate key '{key}'", key_node)
            if value_node.__class__ is not yaml.ScalarNode:
                self._nested(node, value_node)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_str(self, node: Any) -> str:
        text: str = self.construct_scalar(node)
        size = len(text)
        if size < 10:  # most values: shorter than a date, so neither check applies
            return text
        if size > _MAX_TEXT:
            raise _refuse(f"a value of {size:,} characters, longer than the "
                          f"{_MAX_TEXT:,} a record may hold", node)
        if size <= 19 and text[4] == "-" and _DATE_TEXT.fullmatch(text):
            year = int(text[:4])
            if not limits.FIRST_DAY.year <= year <= limits.LAST_DAY.year:
                raise _refuse(f"'{text}' is outside the dates rj keeps "
                              f"({limits.FIRST_DAY} to {limits.LAST_DAY})", node)
        return text

    def construct_yaml_int(self, node: Any) -> int:
        """YAML 1.2 integers as ruamel reads them: decimal (a leading zero is still
        decimal), 0b / 0o / 0x with an optional sign, underscores ignored; no larger than
        limits.MAX_INT either way (counted before converting: a 5,000-digit number is
        refused, not read)."""
        text = str(self.construct_scalar(node)).replace("_", "")
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        bases = {"0b": 2, "0o": 8, "0x": 16}
        base = bases.get(digits[:2], 10)
        too_big = _refuse(f"the number {text[:24]}{'...' if len(text) > 24 else ''} is larger "
                          f"than a record may hold ({limits.MAX_INT:,} at most either way; "
                          "quote it to keep it as text)", node)
        if len(digits) > 70:
            raise too_big
        try:
            value = sign * int(digits[2:] if base != 10 else digits, base)
        except ValueError:
            raise _refuse(f"'{text[:24]}' is not a number", node) from None
        if abs(value) > limits.MAX_INT:
            raise too_big
        return value

    def construct_yaml_float(self, node: Any) -> float:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise _refuse(f"'{node.value}' is not a number a record can hold (infinite or "
                          "not a number)", node)
        return value  # type: ignore[no-any-return]

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            value = super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise _refuse(f"'{node.value}' is not a real date ({exc})", node) from None
        except (AttributeError, TypeError):  # an explicit !!timestamp on any text
            raise _refuse(f"'{node.value}' is not a date", node) from None
        problem = check_in_range(value, f"'{node.value}'")
        if problem:
            raise _refuse(problem, node)
        return value


_RecordConstructor.add_constructor(_CORE + "str", _RecordConstructor.construct_yaml_str)
_RecordConstructor.add_constructor(_CORE + "int", _RecordConstructor.construct_yaml_int)
_RecordConstructor.add_constructor(_CORE + "float", _RecordConstructor.construct_yaml_float)
_RecordConstructor.add_constructor(_CORE + "timestamp", _RecordConstructor.construct_yaml_timestamp)

_CParser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
_Parser: Any = _CParser
if _Parser is None:  # pragma: no cover - libyaml missing: slower but the same rules
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    _Parser = _PyParser


class RecordLoader(_Parser, _RecordConstructor, _Core12Resolver):  # type: ignore[misc,valid-type]
    """libyaml parser + strict safe constructor + YAML 1.2 core resolver."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _RecordConstructor.__init__(self)
        _Core12Resolver.__init__(self)


FAST_AFTER = 16
"""Records a process parses through libyaml before it takes rapidyaml's fast path: one
changed record is read without importing rapidyaml (~16 ms), thousands with it."""
_parsed = 0


def fast_from_now() -> None:
    """Take rapidyaml's fast path from the next record on (a process about to read
    thousands: its workers, forked from it, then need not each read 16 through libyaml)."""
    global _parsed
    _parsed = max(_parsed, FAST_AFTER)


def parse_text(text: str, as_json: bool = False) -> Any:
    """Parse one YAML document with the record rules; YamlProblem with line/column.

    Through rapidyaml (``fastread``) where it gives exactly the strict reader's answer,
    else through the strict reader, which gives every refusal its words and line. With
    ``as_json``: as ``schemas.to_json`` gives it (dates as their text, keys as text),
    which the fast path reads without turning dates into dates and back."""
    return _read(text, as_json)[0]


def parse_json(text: str) -> Any:
    """:func:`parse_text` as JSON (what the index stores of a record)."""
    return parse_text(text, as_json=True)


def parse_json_text(text: str) -> tuple[Any, str]:
    """:func:`parse_json`, and its JSON text: rapidyaml's own where the fast path read it
    (JSON of exactly that data, kept by the index as it is), else ``json.dumps`` of it."""
    data, kept = _read(text, as_json=True)
    return data, json.dumps(data) if kept is None else kept


def _read(text: str, as_json: bool) -> tuple[Any, str | None]:
    """(the data, rapidyaml's JSON of it when the fast path read it, else None)."""
    global _parsed
    _parsed += 1
    if _parsed > FAST_AFTER:
        from rjcli.storage import fastread  # its patterns cost ~6 ms to compile

        try:
            return fastread.parse_with_json(text, as_json)
        except fastread.Unsure:
            pass
    data = parse_strict(text)
    if not as_json:
        return data, None
    from rjcli.storage.schemas import to_json

    return to_json(data), None


def parse_strict(text: str) -> Any:
    """Parse one YAML document with libyaml and the record rules; YamlProblem with
    line/column."""
    if "\t" in text:
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlProblem("tab used for indentation (use spaces)", number, 1)
    loader = RecordLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = (exc.context_mark if exc.context_mark and exc.problem_mark  # at the end: where
                and exc.problem_mark.index >= len(text)  # the unclosed quote/bracket opened
                else exc.problem_mark or exc.context_mark)
        message = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        if mark is not None:
            raise YamlProblem(message, mark.line + 1, mark.column + 1) from None
        raise YamlProblem(message) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlProblem(f"a character that cannot be stored in a record "
                          f"(code {exc.character!r})", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc)) from None
    finally:
        loader.dispose()


def read_fast(path: Path) -> Any:
    """Read and parse a record file quickly (see module docstring)."""
    return parse_text(decode(read_bytes(path)))


# --- round trip -------------------------------------------------------------------


def _make_round_trip() -> Any:
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.preserve_quotes = True
    rt.width = 4096
    rt.allow_duplicate_keys = False

    def represent_none(representer: Any, _data: None) -> Any:
        return representer.represent_scalar("tag:yaml.org,2002:null", "null")

    rt.representer.add_representer(type(None), represent_none)
    # a value used twice (the same date object, say) must not become an &anchor:
    # records never hold anchors, and the fast reader refuses them
    rt.representer.ignore_aliases = lambda _data: True

    def represent_str(representer: Any, data: str) -> Any:
        # NEL and the Unicode line separators would be read back as line breaks
        if any(ch in data for ch in "\x85\u2028\u2029"):
            return representer.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        return representer.represent_str(data)

    rt.representer.add_representer(str, represent_str)
    return rt


_RT: Any = None


def round_trip() -> Any:
    """The shared, configured ruamel YAML round-trip instance (imported on first use)."""
    global _RT
    if _RT is None:
        _RT = _make_round_trip()
    return _RT


@dataclass
class Document:
    """A record loaded for change: the ruamel tree and the text it came from."""

    tree: Any
    original: str
    data: Any
    """The original, parsed by the fast reader (to tell whether anything changed)."""

    def dump(self) -> str:
        import io

        out = io.StringIO()
        round_trip().dump(self.tree, out)
        text = out.getvalue()
        if "\r\n" in self.original:  # keep a Windows file's line ends
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        return text


def load_document(text: str) -> Document:
    """Round-trip load (comments, order, quoting kept). Raises YamlProblem."""
    data = parse_text(text)  # the same refusals (duplicates, aliases, bad dates) as reads
    try:
        tree = round_trip().load(text)
    except Exception as exc:  # ruamel raises many types; all mean "cannot load"
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            raise YamlProblem(str(getattr(exc, "problem", exc)), mark.line + 1, mark.column + 1)
        raise YamlProblem(str(exc)) from None
    return Document(tree=tree, original=text, data=data)


def dump_new(data: Any) -> str:
    """Text of a new record (plain data or ruamel nodes) in the house style."""
    import io

    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def line_of(tree: Any, path: tuple[Any, ...]) -> int | None:
    """1-based line of the value at ``path`` in a ruamel tree (for schema errors)."""
    node = tree
    line = None
    for step in path:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                if isinstance(step, int):
                    line = lc.item(step)[0] + 1
                else:
                    line = lc.key(step)[0] + 1
            node = node[step]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line
