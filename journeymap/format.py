"""The journey format, declared once: every object kind, its keys, their value kinds and docs.

The validator (schema.py) and the JSON Schema generator both read this declaration, so the two
cannot drift apart. A value kind is one of: text, id, ref (a touchpoint id), effort, emotion,
duration, share, lang, outcome, rule, asks, names (a list of text), next, or
``list:<object kind>``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    kind: str  # a value kind: see _PARSERS, or the name of another object kind ("list:stage")
    required: bool = False
    doc: str = ""


OBJECTS: dict[str, dict[str, Key]] = {
    "journey": {
        "journey": Key("text", True, "The journey's title."),
        "id": Key("id", doc="Identifier; default: the file name's slug."),
        "persona": Key("text", doc="Who the customer is."),
        "goal": Key("text", doc="What the customer wants to achieve."),
        "lang": Key("lang", doc="BCP-47 language tag; ar, fa, he and ur render right to left."),
        "stages": Key("list:stage", True, "The stages of the journey, in order."),
        "promises": Key("list:promise", doc="Promises made to the customer, and where they are kept."),
        "accept": Key("list:accept", doc="Findings accepted knowingly for the whole journey."),
    },
    "stage": {
        "name": Key("text", True, "The stage's name."),
        "id": Key("id", doc="Identifier; default: slug of the name."),
        "touchpoints": Key("list:touchpoint", True, "The touchpoints of the stage, in order."),
    },
    "touchpoint": {
        "name": Key("text", True, "What happens here, in the customer's words."),
        "id": Key("id", doc="Identifier, unique in the journey; default: slug of the name."),
        "channel": Key("text", doc="phone, web, app, email, chat, sms, store, visit, …"),
        "owner": Key("text", doc="The team or party that runs this touchpoint."),
        "effort": Key("effort", doc="1 (effortless) … 5 (exhausting)."),
        "emotion": Key("emotion", doc="-2 … 2, or angry, frustrated, neutral, pleased, delighted."),
        "wait": Key("duration", doc="Time before it starts, after the previous step ends."),
        "duration": Key("duration", doc="How long it takes."),
        "asks": Key("asks", doc="What the customer must tell or give here."),
        "outcome": Key("outcome", doc="An end of the journey: success or lost."),
        "next": Key("next", doc="Where customers go next: an id, a list of ids, or {to, share, label}."),
        "failures": Key("list:failure", doc="What can go wrong here, and where those customers go."),
        "accept": Key("list:accept", doc="Findings about this touchpoint accepted knowingly."),
        "observed_as": Key("names", doc="Activity names that stand for this touchpoint in event "
                           "logs (journeymap observe)."),
    },
    "failure": {
        "name": Key("text", True, "What goes wrong."),
        "id": Key("id", doc="Identifier; default: slug of the name."),
        "share": Key("share", doc="Fraction of customers here it happens to: 0.3 or 30%."),
        "to": Key("ref", doc="The touchpoint where those customers go next."),
    },
    "step": {
        "to": Key("ref", True, "The next touchpoint."),
        "share": Key("share", doc="Fraction of the remaining customers who go there."),
        "label": Key("text", doc="A label for the edge on the map."),
    },
    "promise": {
        "name": Key("text", True, "The promise, in the words the customer heard."),
        "id": Key("id", doc="Identifier, unique in the journey; default: slug of the name."),
        "made_at": Key("ref", True, "The touchpoint where the promise is made."),
        "kept_at": Key("ref", True, "The touchpoint that keeps it."),
        "within": Key("duration", doc="Time limit, from the end of made_at to the start of kept_at."),
        "channel": Key("text", doc="The channel the promise names."),
        "accept": Key("list:accept", doc="Findings about this promise accepted knowingly."),
    },
    "accept": {
        "rule": Key("rule", True, "The rule id accepted, e.g. JM102."),
        "reason": Key("text", True, "Why the finding is accepted."),
    },
}
