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


@pytest.mark.parametrize("size", [31, 32, 33, 100])
def test_items_written_a_batch_at_a_time_give_the_same_text(size: int) -> None:
    # more items than one batch (json_stream._BATCH), one of them in a later batch holding a Lazy
    # list, so that batch is walked item by item and the batches around it are written whole
    def make(i: int):
        if i == size - 2:
            return {"i": i, "holds": Lazy(range(2), lambda k: {"k": k})}
        return {"i": i, "name": f"ā{i}", "share": i / 3}

    doc = {"tps": Lazy(range(size), make)}
    assert dumps(doc) == json.dumps(_plain(doc), ensure_ascii=False, separators=(",", ":")) + "\n"
