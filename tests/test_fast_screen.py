"""The fast reader's text screen (``fastread._plain``) looks for two things without a
pattern (odd characters in ASCII text by deleting the good ones from the bytes; indicator
characters with ``str.find``): it must decide exactly as the patterns it stands for, on
every text. The patterns stay the definition; this test holds the quick forms to them."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rjcli.storage import fastread

HERE = Path(__file__).resolve().parent


def by_patterns(text: str) -> bool:
    """The screen as it was written first: five patterns over the text."""
    lines = "\n" + text + "\n"
    return not (fastread._OTHER.search(lines) or fastread._INDICATORS.search(lines)
                or fastread._QUOTES.search(lines) or fastread._CONTINUED.search(lines)
                or fastread._MARKS.search(lines))


TRICKY = ["a: [b]\n", "a: []\n", "a: {}\n", "a: {b: 1}\n", "[a]\n", "?a\n", "? a\n",
          "a: !tag b\n", "a: b!c\n", "a: &x b\n", "a: *x\n", "a:\n- ]\n", "a: x@y\n",
          "@a: b\n", "a: `b`\n", "a: |\n b\n", "a: >\n b\n", "a: %b\n", "a: x\\y\n",
          "a: \x07\n", "a: \x7f\n", "a: é\x85\n", "a: \u2028\n", "a:\tb\n", "a: b\r\n",
          "a: c d ? e\n", "a: [ ]\n", "a: { }\n", "{a: 1}\n", "]\n", "a:,b\n", "a: ,b\n",
          "a: b\n\x00", "\ufeffa: b\n", "a: 'it''s'\n", "a: \"x\n", "a: b # c ?\n", "", "\n"]


def test_the_quick_screen_decides_as_the_patterns_on_records_and_tricky_texts():
    texts = list(TRICKY)
    for folder in (HERE.parent / "sample-casebook", HERE):
        for path in sorted(folder.rglob("*.yaml")):
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    assert len(texts) > 60
    for text in texts:
        assert fastread._plain(text) == by_patterns(text), repr(text[:300])


SPECIALS = st.sampled_from([*"!&*|>%@`?]}[{\"',:- \n#\t\\\x00\x7f\x85é\u2028\ufeffab01",
                            "- ", ": ", "[]", "{}", "''", "2024-01-01"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(SPECIALS, max_size=40).map("".join))
def test_the_quick_screen_decides_as_the_patterns_on_any_text(text):
    assert fastread._plain(text) == by_patterns(text)
