"""The JSON contract is written one element at a time, byte for byte what json.dumps gives."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from minsheng_cli.render_json import array_chunks, dumps

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab中\n"\\ 　'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet="k键\n", max_size=3), children, max_size=3)
    ),
    max_leaves=12,
)


@given(st.lists(JSON_VALUES, max_size=5))
def test_streamed_array_is_identical_to_dumps(items: list[Any]) -> None:
    streamed = "".join(array_chunks(iter(items)))
    assert streamed == dumps(items)
    assert json.loads(streamed) == items


def test_an_empty_array_is_written_as_json_writes_it() -> None:
    assert "".join(array_chunks(iter(()))) == "[]"
