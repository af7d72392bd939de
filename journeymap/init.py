"""`journeymap init`: a commented starter journey that passes `check`, ready to edit."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from journeymap.jsonschema import MODELINE, SCHEMA_FILE
from journeymap.printable import printable

DEFAULT_NAME = "journey"

_TEMPLATE = """\
{modeline}
# A customer journey for journeymap. Edit it, then run:  journeymap check {file}
# Every key is explained once; delete the optional ones you do not need.
# `journeymap rules` lists what `check` looks for.

journey: {title}  # required: the title
persona: A customer ordering online       # optional: who the customer is
goal: The order arrives when promised     # optional: what they came for
lang: en                                  # optional: language tag (ar, fa, th, lv, …)

stages:                                   # required: in order; each has touchpoints
  - name: Order
    touchpoints:
      - name: Place the order online      # required: what happens, in the customer's words
        id: place-order                   # optional: default is the name as a slug
        channel: web                      # web, app, phone, email, chat, sms, store, visit, …
        owner: Online shop                # the team that runs it
        effort: 2                         # 1 (effortless) … 5 (exhausting)
        emotion: neutral                  # angry, frustrated, neutral, pleased, delighted (or -2 … 2)
        duration: 5m                      # s, m, h, d, w, or combined like 1h30m
        asks: [delivery address]          # what the customer must tell or give here
      - name: Get the order confirmation
        id: confirmation
        channel: email
        owner: Online shop
        wait: 1m                          # time before it starts, after the step before ends
  - name: Delivery
    touchpoints:
      - name: Receive the parcel
        id: receive
        channel: visit
        owner: Courier
        effort: 1
        emotion: pleased
        failures:                         # what can go wrong here, and where those customers go
          - name: Nobody at home
            share: 10%                    # of the customers here (0.1 works too)
            to: rebook
        outcome: success                  # an end of the journey: success or lost
  - name: Recovery
    touchpoints:
      - name: Rebook the delivery
        id: rebook
        channel: sms
        owner: Courier
        effort: 2
        next:                             # default: the touchpoint after this one in the file
          - to: receive
            share: 90%
            label: new slot booked
          - to: cancel
            label: gives up
      - name: Cancel the order
        id: cancel
        channel: web
        owner: Online shop
        outcome: lost

promises:                                 # optional: what the customer was told, and where it is kept
  - name: Your confirmation arrives within minutes
    made_at: place-order
    kept_at: confirmation
    within: 5m
    channel: email

# accept:                                 # findings accepted knowingly, each with a reason
#   - rule: JM104
#     reason: the gift-wrap step is designed but not launched yet
"""


def target_path(name: str | None) -> Path:
    """``NAME.yaml`` (or NAME itself when it ends in .yaml or .yml); ``journey.yaml`` by default."""
    path = Path(name or DEFAULT_NAME)
    return path if path.suffix in (".yaml", ".yml") else path.with_name(path.name + ".yaml")


def title_for(path: Path) -> str:
    """A title from the file name: ``fridge-delivery.yaml`` → ``Fridge delivery``."""
    words = re.sub(r"[-_\s]+", " ", printable(path.stem)).strip()
    if not words or path.stem == DEFAULT_NAME:
        return "My customer journey"
    return words[:1].upper() + words[1:]


def _yaml_text(text: str) -> str:
    # A plain scalar when it is safe (letters, digits, spaces and a little punctuation);
    # otherwise a JSON string, which YAML reads as a double-quoted scalar.
    if re.fullmatch(r"[^\W\d_][\w .'()]*", text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def command_arg(path: Path) -> str:
    """``path`` as a shell argument that names the file: ``-rf.yaml`` would be read as options
    (``./-rf.yaml`` is not), and spaces or quotes need quoting."""
    text = path.as_posix()
    if text.startswith("-"):
        text = "./" + text
    return shlex.quote(text)


def starter(path: Path) -> str:
    """The starter journey's text for a file at ``path``."""
    return _TEMPLATE.format(modeline=MODELINE, file=printable(command_arg(path)),
                            title=_yaml_text(title_for(path)))


def write_schema_beside(journey: Path) -> Path | None:
    """Write the JSON Schema next to a new journey, once, for the modeline to find.

    Returns the file written, or None when one is there already or the folder refuses it (the
    journey itself is written; the editor then simply has no schema).
    """
    from journeymap.files import create_new
    from journeymap.jsonschema import render

    path = journey.parent / SCHEMA_FILE
    try:
        create_new(str(path), render())
    except OSError:
        return None
    return path
