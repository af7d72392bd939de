"""The journey format, declared once: every object kind, its keys, their value kinds and docs.

The validator (schema.py) and the JSON Schema generator both read this declaration, so the two
cannot drift apart. A value kind is one of: text, id, ref (a touchpoint id), effort, emotion,
duration, share, lang, outcome, rule, asks, texts (a string or a list of strings), next,
metric, scale, count, counts, number, factor, ``list:<object kind>``, or ``texts:<object kind>``
(texts whose items may also be written as that object: ``{text: …, factor: …}``).

Keys starting with ``x-`` are allowed in every object (see :data:`EXTENSION_PREFIX`): a team's own
fields, which rules ignore and the JSON report keeps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    kind: str  # a value kind: see _PARSERS, or the name of another object kind ("list:stage")
    required: bool = False
    doc: str = ""
    example: str = ""  # a value to suggest when the key is left blank; default: by kind


EXTENSION_PREFIX = "x-"

# What to suggest for a key left blank (`emotion:` with nothing after it), by value kind.
EXAMPLES = {"effort": "3", "emotion": "neutral", "duration": "20m", "share": "30%", "lang": "en",
            "outcome": "success", "rule": "JM102", "asks": "[account number]", "ref": "a touchpoint id",
            "texts": "a sentence, or a list of them", "text": "a few words", "id": "a-short-id",
            "factor": "time"}


def example(key: Key) -> str:
    return key.example or EXAMPLES.get(key.kind, "a value")


def _texts(doc: str) -> Key:
    return Key("texts", doc=doc + " A string or a list of strings; drawn on the journey map.")


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
        "personas": Key("list:persona", doc="The customers the journey is for (`persona:` is the "
                        "short form for one)."),
        "notes": _texts("Notes about the journey."),
    },
    "persona": {
        "name": Key("text", True, "Who the customer is.", "Home-phone customer"),
        "goal": Key("text", doc="What this customer wants to achieve."),
        "description": Key("text", doc="A sentence or two about this customer."),
    },
    "stage": {
        "name": Key("text", True, "The stage's name."),
        "id": Key("id", doc="Identifier; default: slug of the name."),
        "touchpoints": Key("list:touchpoint", True, "The touchpoints of the stage, in order."),
        "opportunities": _texts("Ideas for improving this stage as a whole."),
        "notes": _texts("Notes about the stage."),
    },
    "touchpoint": {
        "name": Key("text", True, "What happens here, in the customer's words."),
        "id": Key("id", doc="Identifier, unique in the journey; default: slug of the name."),
        "channel": Key("text", doc="phone, web, app, email, chat, sms, store, visit, …", example="phone"),
        "owner": Key("text", doc="The team or party that runs this touchpoint.", example="Contact centre"),
        "effort": Key("effort", doc="1 (effortless) … 5 (exhausting)."),
        "emotion": Key("emotion", doc="-2 … 2, or angry, frustrated, neutral, pleased, delighted."),
        "wait": Key("duration", doc="Time before it starts, after the previous step ends."),
        "duration": Key("duration", doc="How long it takes."),
        "asks": Key("asks", doc="What the customer must tell or give here."),
        "outcome": Key("outcome", doc="An end of the journey: success or lost."),
        "next": Key("next", doc="Where customers go next: an id, a list of ids, or {to, share, label}."),
        "failures": Key("list:failure", doc="What can go wrong here, and where those customers go."),
        "accept": Key("list:accept", doc="Findings about this touchpoint accepted knowingly."),
        "actions": _texts("What the customer does here."),
        "thoughts": _texts("What the customer thinks here."),
        "quotes": _texts("What customers say here, in their own words."),
        "pain_points": Key("texts:pain_point", doc="What hurts here, as the workshop saw it. A "
                           "string or a list; an item may be {text, factor} to say which of the "
                           "four factors it hurts. Drawn on the journey map.",
                           example="a sentence, or a list of them"),
        "opportunities": _texts("Ideas for making this touchpoint better."),
        "backstage": _texts("The steps and systems behind the touchpoint that the customer does not see."),
        "notes": _texts("Notes about the touchpoint."),
        "evidence": Key("list:evidence", doc="Survey answers about it: CSAT, CES, NPS or a metric "
                        "of your own, as counts or a summary."),
        "observed_as": Key("texts", doc="Activity names that stand for this touchpoint in event "
                           "logs (journeymap observe)."),
    },
    "evidence": {
        "metric": Key("metric", True, "csat, ces, nps, or a name of your own (then give `scale`)."),
        "scale": Key("scale", doc="Lowest and highest answer: 1-5 (CSAT's default), 1-7 (CES's), "
                     "0-10 (NPS)."),
        "source": Key("text", doc="Where the answers come from: the survey, the tool, the export."),
        "period": Key("text", doc="When they were given, e.g. 2025-Q3 or 2025-07-01..2025-09-30."),
        "responses": Key("count", doc="How many answered."),
        "satisfied": Key("count", doc="How many were satisfied (CSAT: the top two answers)."),
        "promoters": Key("count", doc="NPS: answers of 9 or 10."),
        "passives": Key("count", doc="NPS: answers of 7 or 8."),
        "detractors": Key("count", doc="NPS: answers of 0 to 6."),
        "distribution": Key("counts", doc="Answers per scale point, lowest first: [2, 3, 10, 25, 60]."),
        "mean": Key("number", doc="A summary instead of counts: the mean answer …"),
        "sd": Key("number", doc="… its standard deviation …"),
    },
    "failure": {
        "name": Key("text", True, "What goes wrong."),
        "id": Key("id", doc="Identifier; default: slug of the name."),
        "share": Key("share", doc="Fraction of customers here it happens to: 0.3 or 30%."),
        "to": Key("ref", doc="The touchpoint where those customers go next."),
        "factor": Key("factor", doc="What fails: product, people, time or resolution (the four "
                      "factors of satisfaction)."),
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
    "pain_point": {
        "text": Key("text", True, "What hurts, in the workshop's words."),
        "factor": Key("factor", doc="Which of the four factors it hurts: product, people, time or "
                      "resolution."),
    },
}
