"""A Lazy list's items written whole by json's C encoder (report/json_stream.py): the same text
as json.dumps, items holding a Lazy list walked, and bad values refused as before."""

from __future__ import annotations

import io
import json

import pytest

from journeymap.report.json_stream import Lazy, dump, dumps


def _plain(value):
    if isinstance(value, Lazy):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _doc():
    inner = Lazy(range(3), lambda i: {"id": f"ت{i}", "n": i / 7, "ok": i % 2 == 0, "none": None})
    big = {"parts": [{"k": j, "v": [j] * 3} for j in range(100)]}  # more than _SMALL values
    items = [{"a": 1, "nested": {"x": [1.5, "ā"]}}, {"holds": inner}, big, [1, (2, 3)], "s", 4.25]
    return {"items": Lazy(items, lambda x: x), "empty": Lazy([], lambda x: x)}


@pytest.mark.parametrize("pretty", [False, True])
def test_same_text_as_json_dumps(pretty: bool) -> None:
    expected = json.dumps(_plain(_doc()), ensure_ascii=False, allow_nan=False,
                          **({"indent": 2} if pretty else {"separators": (",", ":")})) + "\n"
    assert dumps(_doc(), pretty) == expected
    out = io.BytesIO()
    dump(_doc(), out, pretty)
    assert out.getvalue().decode("utf-8") == expected


@pytest.mark.parametrize("bad, error", [(float("nan"), ValueError), ({1, 2}, TypeError)])
def test_bad_values_still_refused(bad: object, error: type) -> None:
    with pytest.raises(error):
        dumps({"items": Lazy([{"fine": 1}, {"bad": bad}], lambda x: x)})
