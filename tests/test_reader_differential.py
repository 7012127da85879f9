"""The fast reader gives exactly the strict reader's answer (issue 22).

rj reads thousands of records through rapidyaml when it builds its index from nothing
(``rjcli/storage/fastread.py``), and anything rapidyaml is unsure of through the strict
libyaml reader (``yamlio.parse_strict``). Both are run here over the fuzz corpus, the sample
and generated casebooks, every hostile input of the reliability issue (15) and the YAML
1.1 traps (yes/no/on/off, 0755, quoted dates), and must give the same data (each value's
type and value, each mapping's key order) or the same refusal (message, line, column).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import generated_casebook
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from rjcli.storage import fastread, yamlio
from rjcli.storage.recordfile import YamlProblem, decode
from rjcli.storage.schemas import to_json

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample-casebook"


def typed(value: Any) -> Any:
    """A value with every type spelled out and every mapping's key order kept (True is
    not 1, a date is not a datetime, {a, b} is not {b, a})."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


def outcome(read: Any, text: str) -> Any:
    """What a reader makes of ``text``: its data, typed, or its refusal with where."""
    try:
        return ("data", typed(read(text)))
    except YamlProblem as exc:
        return ("refused", exc.message, exc.line, exc.column)


def strict_json(text: str) -> Any:
    return to_json(yamlio.parse_strict(text))


def assert_same(text: str) -> bool:
    """Both readers give the same answer for ``text``, as data and as JSON (what the index
    stores: ``yamlio.parse_json``); True when the fast one gave it."""
    strict = outcome(yamlio.parse_strict, text)
    assert outcome(yamlio.parse_text, text) == strict, text[:2000]
    as_json = outcome(strict_json, text)
    assert outcome(yamlio.parse_json, text) == as_json, text[:2000]
    try:
        fast = fastread.parse(text)
    except fastread.Unsure:
        with pytest.raises(fastread.Unsure):
            fastread.parse(text, as_json=True)
        return False
    assert ("data", typed(fast)) == strict, text[:2000]
    assert ("data", typed(fastread.parse(text, as_json=True))) == as_json, text[:2000]
    # the JSON text the index keeps of the record is JSON of exactly that data
    data, kept = fastread.parse_with_json(text)
    assert ("data", typed(json.loads(kept))) == ("data", typed(data)) == as_json, text[:2000]
    return True


def texts_of(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.rglob("*.yaml")):
        try:
            out.append((str(path.relative_to(folder)), decode(path.read_bytes())))
        except YamlProblem:
            continue
    return out


# --- the traps: YAML 1.1 words and octals, dates, numbers, keys, styles -----------------

SCALARS = [
    # YAML 1.1 booleans and octals are words and decimals in YAML 1.2
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF", "0755", "0777", "07432945841",
    "07700 900124", "true", "True", "TRUE", "tRue", "false", "False", "FALSE",
    # null
    "", "~", "null", "Null", "NULL", "nul", "None",
    # numbers of every spelling
    "0", "-0", "+12", "12", "-12", "1_000", "0b101", "0o17", "-0o17", "+0o17", "0x1F", "0X1F",
    "-0x1F", "0o", "0x", "1e3", "1E3", "1.5", "1.", "0.", ".5", "-.5", "+.5", ".5e3", ".5E+3",
    "1.5e+3", "1e-3", ".inf", "-.inf", ".Inf", ".nan", ".NaN", "1e400", "12:30", "1:20:30",
    "9007199254740991", "9007199254740992", "-9007199254740992", "123456789012345678901",
    "9" * 5000, "-" + "9" * 5000, "0x" + "F" * 80, "2.5", "-2.5", "1.50", "01.5", "-01.5",
    "00.5", "+1.5", "0x1.8", "1_000.5", "1.5.5", "5.", ".0", "0.5e-3", "1,5",
    # dates: real, impossible, out of range, quoted, with times
    "2026-01-05", "'2026-01-05'", '"2026-01-05"', "2026-1-5", "2026-02-29", "2028-02-29",
    "2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01", "1899-12-31", "1900-01-01",
    "2100-12-31", "2101-01-01", "'9999-12-31'", '"0001-01-01 10:00"', "2026-01-05 10:00",
    '"2026-01-05 10:00"', "2026-01-05T10:00:00", "2026-01-05 10:00:00Z",
    "2026-01-05t10:00:00+01:00", "2026-06-15T25:61:61", "20260105", "2026-01-05x",
    # text
    "plain words", "Ann O'Example", "'it''s'", '"say \\"hi\\""', '"tab\\there"', '"\\u00e9"',
    "caf\u00e9 \u2603 \U0001F600", "a:b", "x #y", "x#y", "'#x'", "'07700 900124'",
    '"07700 900124"', "'123'", '"true"', "'null'", "''", '""', "'  '", "- x", "a: b",
    "V-7K3M2Q", "01JBEMS1D2SASFA39GHVH6PT4G", "x" * 100_001, "'" + "x" * 100_001 + "'",
    # styles and structures a record does not need
    "!!binary aGVsbG8=", "!!set {a, b}", "!!str 12", '!!int "12"', "!!timestamp 2026-01-05",
    "!foo bar", "&x 1", "*x", "[]", "{}", "[1, 2]", "{b: 1}", "[2026-01-05, '2026-01-05']",
    "{2026-01-05: x}", "|\n  line1\n  line2", ">\n  line1\n  line2", "|-\n  2026-01-05",
    "|", "multi\n  line plain", "'multi\n  line quoted'", "[" * 40 + "]" * 40,
]


@pytest.mark.parametrize("scalar", SCALARS, ids=lambda s: s[:30])
def test_both_readers_read_a_value_the_same(scalar: str) -> None:
    assert_same(f"id: V-0001\nvalue: {scalar}\nafter: 1\n")
    assert_same(f"id: V-0001\nlist:\n  - {scalar}\n  - x\n")


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "'1': x\n1: y\n", "a: 1\n'a': 2\n", "1: x\n", "-1: x\n", "true: x\n",
    "null: x\n", "~: x\n", "2026-04-01: x\n", "'2026-04-01': x\n", "2026-02-30: x\n",
    "9999-12-31: x\n", "'': x\n", ": x\n", "? [a]\n: x\n", "? a\n: b\n", "k" * 1001 + ": x\n",
    "a: b: c\n", 'a: "unterminated\n', "a: 'unterminated\n", "[1, 2\n", "- 1\n- 2\n", "x\n",
    "", "# nothing\n", "   \n\n", "a: 1\n---\nb: 2\n", "---\na: 1\n", "a: 1\n...\n",
    "%YAML 1.1\n---\na: yes\n", "\ufeffa: 1\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\r",
    "a:\n\tb: 1\n", "a: x\tb\n", "a: \x85x\n", "a: x\u2028y\n", "a: \x07\n", "a: \ufffe\n",
    "a:\n  b:\n    c: 1\n   d: 2\n", "a:\n- 1\n- 2\n", "a:\n  - b: 1\n    c: 2\n  - d\n",
    "a: - b\n", "a: x # comment\nb: 'y' # c\n", "a:    spaced   \n", "a: [] \nb: {}\n",
    "a: [ ]\n", "a: note: x\n", "a: x\n  continued: y\n", "a: 'x' y\n", "a: \"x\" y\n",
    "a: x\n b: y\n", "- - a\n  - b\n", "a:\n" + "".join(f"{' ' * (2 * n + 2)}b{n}:\n"
                                                           for n in range(40)),
    "lol: &a [lol, lol]\nl1: [*a, *a]\n", "a : 1\n", '"a" : 1\n', "<<: x\n", "=: x\n",
    "a: x\n# c\nb: y\n", "a:   # c\n  b: 1\n", "a: x\n\n\nb: y\n", "a: 1", "a:\n-\n- x\n",
    "- \n", "a: x\n  # c\n", "a: 'x'\n  'y'\n", "a: \"x\"\nb: \"\"\n", "a: x,\nb: ,x\n",
    "a: [],\n", "a: -x\nb: --\nc: -\n", "a: 07700 900124\nb: '07700 900124'\n",
], ids=lambda s: repr(s[:30]))
def test_both_readers_read_a_structure_the_same(text: str) -> None:
    assert_same(text)


# --- whole files: the casebooks and the fuzz corpus -------------------------------------


def test_every_file_of_the_sample_casebook_reads_the_same() -> None:
    files = texts_of(SAMPLE)
    assert len(files) > 10
    for _name, text in files:
        assert_same(text)


def test_a_generated_casebook_reads_the_same_and_mostly_through_the_fast_reader(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    root = generated_casebook(tmp_path_factory, seed=22, victims=150, children=75)
    files = texts_of(root)
    fast = [name for name, text in files if assert_same(text)]
    # the fast reader is not a dead branch: it reads the records rj writes
    assert len(fast) >= 0.95 * len(files), f"{len(fast)} of {len(files)} read fast"


def _bench_fuzz() -> Any:
    path = HERE.parent / "bench" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("bench_fuzz_differential", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_fuzz_corpus_reads_the_same() -> None:
    fuzz = _bench_fuzz()
    seen = 0
    for hostile in fuzz.hostile_files(400, seed=22):
        try:
            text = decode(hostile.content)
        except YamlProblem:
            continue
        assert_same(text)
        seen += 1
    assert seen > 300
    for value in fuzz.VALUES:  # each hostile value in place of a field's value
        assert_same(f"id: V-0001\nname: {value}\nafter: x\n")


def test_every_hostile_input_of_the_reliability_issue_reads_the_same() -> None:
    import test_hostile

    cases = list(test_hostile.RECORDS.values()) + list(test_hostile.RJ_YAML.values())
    seen = 0
    for content, _line, _words in cases:
        if content is None:
            continue
        raw = content if isinstance(content, bytes) else __import__("textwrap").dedent(
            content).encode()
        try:
            text = decode(raw)
        except YamlProblem:
            continue
        assert_same(text)
        seen += 1
    assert seen >= 15


def test_the_refusals_keep_their_words_and_lines() -> None:
    # what a user reads in `rj check` when the fast reader passes a file on
    with pytest.raises(YamlProblem, match="duplicate key 'name'") as caught:
        yamlio.parse_text("id: V-0001\nname: Lee\nname: Lee Again\n")
    assert caught.value.line == 3
    with pytest.raises(YamlProblem, match="'2026-02-30' is not a real date") as caught:
        yamlio.parse_text("id: V-0001\ndob: 2026-02-30\n")
    assert caught.value.line == 2
    with pytest.raises(YamlProblem, match="outside the dates rj keeps") as caught:
        yamlio.parse_text("id: V-0001\ndob: 9999-12-31\n")
    assert caught.value.line == 2


def test_records_rj_writes_read_the_same() -> None:
    from test_storage import RECORDS

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(RECORDS)
    def check(record: dict[str, Any]) -> None:
        assert_same(yamlio.dump_new(record))

    check()


def test_a_quoted_date_is_text_and_a_plain_one_a_date() -> None:
    assert fastread.parse("a: 2026-01-05\nb: x\n") == {"a": date(2026, 1, 5), "b": "x"}
    with pytest.raises(fastread.Unsure):  # the strict reader tells the two apart
        fastread.parse("a: 2026-01-05\nb: '2026-01-05'\n")
    assert yamlio.parse_text("a: 2026-01-05\nb: '2026-01-05'\n") == {
        "a": date(2026, 1, 5), "b": "2026-01-05"}
    assert yamlio.parse_text("a: 2026-01-05 10:00:00\n") == {"a": datetime(2026, 1, 5, 10)}


# --- without the rapidyaml wheel: libyaml, and `rj --version` says so ----------------------


@pytest.fixture
def without_rapidyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a platform with no rapidyaml wheel: ``import ryml`` fails."""
    monkeypatch.setitem(sys.modules, "ryml", None)
    monkeypatch.setattr(fastread, "_RYML", fastread.NOT_TRIED)


def test_as_json_a_plain_date_is_its_text_checked_as_a_date() -> None:
    text = "a: 2026-01-05\n2026-02-03: x\nb:\n  - 2026-03-04\n"
    assert fastread.parse(text, as_json=True) == {"a": "2026-01-05", "2026-02-03": "x",
                                                  "b": ["2026-03-04"]}
    # the keys read for JSON are kept apart from the keys read as data
    assert fastread.parse(text) == {"a": date(2026, 1, 5), date(2026, 2, 3): "x",
                                    "b": [date(2026, 3, 4)]}
    for impossible in ("a: 2026-02-30\n", "a: 1850-01-01\n", "2026-13-01: x\n"):
        with pytest.raises(fastread.Unsure):
            fastread.parse(impossible, as_json=True)


def test_rj_version_names_the_fast_reader() -> None:
    from rjcli.cli import build_app

    result = CliRunner().invoke(build_app(["--version"]), ["--version"])
    assert result.exit_code == 0
    import ryml

    assert f"YAML reader: rapidyaml {ryml.__version__} (fast path), libyaml fallback" in (
        result.output)


def test_without_the_wheel_rj_reads_with_libyaml_and_says_so(without_rapidyaml: None) -> None:
    from rjcli.cli import build_app

    result = CliRunner().invoke(build_app(["--version"]), ["--version"])
    assert result.exit_code == 0
    assert "YAML reader: libyaml (rapidyaml not installed)" in result.output
    with pytest.raises(fastread.Unsure):
        fastread.parse("a: 1\n")
    for _name, text in texts_of(SAMPLE)[:5]:
        assert outcome(yamlio.parse_text, text) == outcome(yamlio.parse_strict, text)


def test_a_file_rapidyaml_cannot_read_prints_nothing_of_its_own(
        capfd: pytest.CaptureFixture[str]) -> None:
    # rapidyaml writes its C++ parse errors to the process's stderr before raising: a
    # practitioner running rj due saw "ERROR: [parse] two colons on same line ...
    # parse_engine.def.hpp:4335" above rj's own message about the file
    from rjcli.storage import fastread

    if fastread.ryml_module() is None:
        pytest.skip("rapidyaml is not installed here")
    for text in ("id: V-9999\nname: a: b\n", "a:\n  - b\n - c\n", "- a\nb: c\n"):
        with pytest.raises(fastread.Unsure):
            fastread.parse(text)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


MISINDENTED = [
    # found by a differential fuzz run (random near-plain records, 955,000 read by the fast
    # path, 14 differed): rapidyaml read a wrongly indented line after a list as a key
    # starting with spaces ("  ~", " -a"), where libyaml refuses the file
    "name: a #b\nx y:\n é:\n   id: 日本\n 2026-01-05:\n - on\n  - Null  # c\n   ~:\n"
    "     x y: 1:30:00\n x y:\n id:\n\n",
    "\"d\":\n a:b:\n - 'x'\n  -a:\n    -\n        b: abc\né: off\n2026-01-05: a:b\n\n",
    "# top\n-a:\n  'q':\n  - 2026-01-05 10:00  # c\n   - a: b\n",
    "a:\n -a:\n - 12345678901234567890\n  - 007  # c\n  \"d\":",
    "é:\n id:\n - a #b\n  ~:  a# b\n\n",
    "name:\n id: +44 7700\né:\n é:\n - 'x'\n  2026-01-05:\n  -a: 1\na: a b\n",
]


@pytest.mark.parametrize("text", MISINDENTED, ids=range(len(MISINDENTED)))
def test_a_wrongly_indented_line_after_a_list_is_refused_as_libyaml_refuses_it(
        text: str) -> None:
    assert outcome(yamlio.parse_strict, text)[0] == "refused"
    assert_same(text)


def _near_plain(rng: Any) -> str:
    """A random record-like text: the values, keys, indentation and list shapes of rj's
    records, often a little wrong. (A smaller cousin of the fuzz run that found
    MISINDENTED, about one in a million of its texts: those shapes are pinned above; this
    keeps a cheap seeded net over the rest.)"""
    atoms = ["0", "-1", "007", "0o7", "0x1F", "1e3", "1.5", ".5", "~", "null", "yes", "on",
             "true", "2026-01-05", "2026-02-30", "2026-01-05 10:00", "10:00", "abc", "a b",
             "a:b", "a #b", "a# b", "-", "'x'", "'2026-01-05'", "''", "[]", "{}", "é",
             "9" * 25, "http://x.org/a", "x - y", "-x", "a -"]
    keys = ["id", "name", "a", "x y", "'q'", '"d"', "1", "true", "2026-01-05", "~", "-a", "é"]

    def node(depth: int, indent: int) -> str:
        roll = rng.random()
        if depth > 2 or roll < 0.5:
            return " " + rng.choice(atoms) + rng.choice(["", "  # c", " "])
        step = lambda: indent + rng.choice([0, 1, 2, 2, 2, 3, 4])  # noqa: E731
        if roll < 0.75:
            return "".join(f"\n{' ' * (i := step())}{rng.choice(keys)}:{node(depth + 1, i)}"
                           for _ in range(rng.randint(0, 3)))
        return "".join(f"\n{' ' * (i := step())}-{node(depth + 1, i + 2)}"
                       for _ in range(rng.randint(0, 3)))

    return "\n".join(rng.choice(keys) + ":" + node(0, 0) for _ in range(rng.randint(1, 5))) + "\n"


def test_near_plain_records_read_the_same() -> None:
    import random

    rng = random.Random(22)
    answered = sum(assert_same(_near_plain(rng)) for _ in range(4000))
    assert answered > 100  # the fast path answered some of them (the rest: the strict one)
