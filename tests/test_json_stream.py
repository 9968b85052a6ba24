"""JSON arrays are written one element at a time, one element per line."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from minsheng_cli.render.json import array_chunks

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab中\n"\\ 　'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet="k键\n", max_size=3), children, max_size=3)
    ),
    max_leaves=12,
)


@given(st.lists(JSON_VALUES, max_size=5))
def test_a_streamed_array_is_the_same_json_one_element_per_line(items: list[Any]) -> None:
    streamed = "".join(array_chunks(iter(items)))
    assert json.loads(streamed) == items
    if items:
        lines = streamed.split("\n")
        assert (lines[0], lines[-1]) == ("[", "]")
        elements = [line.removeprefix("  ").removesuffix(",") for line in lines[1:-1]]
        assert [json.loads(element) for element in elements] == items
        assert all(line.startswith("  ") for line in lines[1:-1])


def test_an_empty_array_is_written_as_json_writes_it() -> None:
    assert "".join(array_chunks(iter(()))) == "[]"
