"""A JSON Schema (draft 2020-12) of the journey format, for editors and other tools.

Generated from the declaration the validator reads (:data:`journeymap.format.OBJECTS`) and the
value patterns in :mod:`journeymap.values`, so the schema and `journeymap validate` cannot drift
apart. ``journeymap/journey.schema.json`` is this output, committed; a test keeps it equal.

Some checks are beyond what a JSON Schema can say, so `validate` finds more than the schema:
YAML itself (syntax, a key given twice, aliases, tags, size and depth limits), ids that must be
unique (including ids derived from names), references to unknown touchpoints, shares at one
touchpoint that add up to more than 1, durations longer than a century, and ``3.0`` where a whole
number is required (JSON has one number type, so a schema counts 3.0 as an integer).
"""

from __future__ import annotations

import json
import re
from typing import Any

from journeymap import values
from journeymap.findings import RULES
from journeymap.format import EXTENSION_PREFIX, OBJECTS, Key

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The schema's identity. It is not a download address: editors read the schema from a file beside
# the journeys (`journeymap init` writes it there; `journeymap schema -o` anywhere), so they work
# offline and need no published home.
SCHEMA_ID = "urn:journeymap:journey-schema:1"
SCHEMA_FILE = "journey.schema.json"
# The first line of a journey that points yaml-language-server (VS Code's YAML extension) at the
# schema file in the journey's own folder; the language server resolves it relative to the journey.
MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"
# Lists that must not be empty (the validator reports these itself, after the shape checks).
NON_EMPTY = {("journey", "stages"), ("stage", "touchpoints")}
# Value kinds that share the shape of another.
_SAME_AS = {"id": "text", "ref": "text"}
# List items that may also be written in a short form: `personas: [Home-phone customer]`.
_SHORT_ITEMS = {"persona": "text"}


def _ref(kind: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{_SAME_AS.get(kind, kind)}"}


def case_insensitive(pattern: str) -> str:
    """``pattern`` with each ASCII letter outside escapes and classes matching either case.

    JSON Schema patterns are ECMA-262 regexes, which have no inline ``(?i)`` flag.
    """
    out, escaped, in_class = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        escaped = ch == "\\"
        in_class = (in_class or ch == "[") and ch != "]"
        plain = ch.isascii() and ch.isalpha() and not in_class
        out.append(f"[{ch.upper()}{ch.lower()}]" if plain else ch)
    return "".join(out)


def _unanchored(pattern: str) -> str:
    return pattern.removeprefix("^").removesuffix("$")


def _duration() -> dict[str, Any]:
    # The validator strips the text and reads ISO 8601 in either case; say the same here.
    iso = case_insensitive(_unanchored(values.ISO_DURATION_PATTERN)).replace("(?!$)", r"(?!\s*$)")
    short = _unanchored(values.DURATION_PATTERN)
    return {"type": "string", "pattern": rf"^\s*(?:{short}|{iso})\s*$",
            "examples": ["20m", "1h30m", "2d", "8w", "PT30M"]}


# A percentage from 0 to 100: values.SHARE_PERCENT_PATTERN with the range the parser checks.
PERCENT_PATTERN = r"^\s*0*(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)\s*%\s*$"


def _words(words: Any) -> str:
    return r"^\s*(?:" + "|".join(case_insensitive(re.escape(w)) for w in words) + r")\s*$"


def _explained(schema: dict[str, Any], message: str) -> dict[str, Any]:
    """``schema`` with the message an editor shows when a value does not fit it.

    yaml-language-server reads ``errorMessage`` and ``patternErrorMessage`` (other validators ignore
    them), so a facilitator sees words, never a raw pattern or "Expected integer".
    """
    schema = dict(schema, errorMessage=message)
    if "pattern" in schema:
        schema["patternErrorMessage"] = message
    if "anyOf" in schema:
        schema["anyOf"] = [_explained(part, message) for part in schema["anyOf"]]
    return schema


def value_defs() -> dict[str, Any]:
    """The schema of each value kind of the format."""
    text = {"type": ["string", "number"], "pattern": r"\S", "description": "Text (not empty)."}
    emotions = ", ".join(values.EMOTIONS)
    return {
        "text": _explained(text, "Write some text here, or remove the key."),
        "effort": _explained({"type": "integer", "minimum": 1, "maximum": 5},
                             "Effort is a whole number from 1 (effortless) to 5 (exhausting)."),
        "emotion": _explained({"anyOf": [{"type": "integer", "minimum": -2, "maximum": 2},
                                         {"enum": list(values.EMOTIONS)},
                                         {"type": "string", "pattern": _words(values.EMOTIONS)}]},
                              f"Emotion is one of {emotions}, or a whole number from -2 to 2."),
        "duration": _explained(_duration(), "A duration with a unit (s, m, h, d, w), such as 20m, "
                                            "1h30m, 2d or 8w, or ISO 8601 such as PT30M."),
        "share": _explained({"anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
                                       {"type": "string", "pattern": PERCENT_PATTERN}]},
                            "A share is a fraction from 0 to 1, such as 0.3, or a percentage, "
                            "such as 30%."),
        "lang": _explained({"type": "string", "pattern": values.LANG_PATTERN},
                           "A language tag such as en, ar, fa, th, lv or pt-BR."),
        "outcome": _explained({"enum": list(values.OUTCOMES)}, "The outcome is success or lost."),
        "rule": _explained({"anyOf": [{"enum": list(RULES)}, {"type": "string", "pattern": _words(RULES)}]},
                           "A rule id such as JM102; `journeymap rules` lists them."),
        "asks": {"anyOf": [_ref("text"), {"type": "array", "items": _ref("text")}]},
        "texts": {"anyOf": [_ref("text"), {"type": "array", "items": _ref("text")}]},
        "next": {"anyOf": [_ref("text"), _ref("step"),
                           {"type": "array", "items": {"anyOf": [_ref("text"), _ref("step")]}}]},
        **_evidence_defs(),
    }


def _evidence_defs() -> dict[str, Any]:
    """The value kinds of survey evidence (journeymap.evidence.fields)."""
    from journeymap.evidence.fields import FACTORS, MAX_COUNT

    count = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
    count_words = "A count is a whole number 0 or more, such as 240."
    return {
        "metric": _explained({"type": "string", "pattern": r"\S", "examples": ["csat", "ces", "nps"]},
                             "csat, ces, nps, or a name of your own (then give scale)."),
        "count": _explained(count, count_words),
        "number": _explained({"type": "number"}, "A number, such as 5.4."),
        "counts": _explained({"anyOf": [{"type": "array", "items": count, "minItems": 1},
                                        {"type": "string", "pattern": r"^[\s;|/]*\d+(?:[\s;|/]+\d+)*[\s;|/]*$"}]},
                             "Answers per scale point, lowest first: [2, 3, 10, 25, 60]."),
        "scale": _explained({"anyOf": [{"type": "string",
                                        "pattern": r"^\s*-?\d+\s*(?:-|–|\.\.|to)\s*-?\d+\s*$"},
                                       {"type": "array", "items": {"type": "integer"}, "minItems": 2,
                                        "maxItems": 2}],
                             "examples": ["1-5", "1-7", "0-10"]},
                            "The lowest and highest answer, such as 1-5 or 0-10."),
        "factor": _explained({"type": "string", "pattern": _words(FACTORS)},
                             "One of the four factors: product, people, time or resolution."),
    }


def _property(owner: str, name: str, key: Key) -> dict[str, Any]:
    if key.kind.startswith("list:"):
        item = key.kind[5:]
        items = ({"anyOf": [_ref(_SHORT_ITEMS[item]), _ref(item)]} if item in _SHORT_ITEMS
                 else _ref(item))
        prop: dict[str, Any] = {"type": "array", "items": items}
        if (owner, name) in NON_EMPTY:
            prop["minItems"] = 1
    elif key.kind.startswith("texts:"):  # a text or the object, or a list mixing both
        one = {"anyOf": [_ref("text"), _ref(key.kind.split(":", 1)[1])]}
        prop = {"anyOf": [*one["anyOf"], {"type": "array", "items": one}]}
    else:
        prop = _ref(key.kind)
    return {"description": key.doc, **prop}


def object_schema(kind: str) -> dict[str, Any]:
    """The schema of one object kind: its keys, which are required, and no others."""
    keys = OBJECTS[kind]
    return {
        "type": "object",
        "properties": {name: _property(kind, name, key) for name, key in keys.items()},
        "required": [name for name, key in keys.items() if key.required],
        # a team's own fields: accepted, ignored by rules
        "patternProperties": {f"^{EXTENSION_PREFIX}": {}},
        "additionalProperties": False,
    }


def journey_schema() -> dict[str, Any]:
    """The whole schema: a journey object at the root, every other kind under ``$defs``."""
    defs = {kind: object_schema(kind) for kind in OBJECTS if kind != "journey"}
    defs.update(value_defs())
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "journeymap journey",
        "description": "A customer journey for journeymap: stages of touchpoints, the failures at "
        "each and where their customers go, and the promises made on the way.",
        **object_schema("journey"),
        "$defs": defs,
    }


def render(pretty: bool = True) -> str:
    """The schema as JSON text: indented (``pretty``) as shipped in ``journeymap/journey.schema.json``
    and written beside new journeys by `init`, files people read and diff; on one line for
    `journeymap schema` without ``--pretty``, like every JSON output of the tool."""
    if pretty:
        return json.dumps(journey_schema(), ensure_ascii=False, indent=2) + "\n"
    return json.dumps(journey_schema(), ensure_ascii=False, separators=(",", ":")) + "\n"
