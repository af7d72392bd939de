"""`check --baseline`: only findings that a change introduced fail the run.

The baseline is a git revision (each checked file is checked again as it was there) or a saved
`check --format json` document. A finding's identity is its journey, rule and subject (the id of the
touchpoint, failure or promise), never its line, so edits that move lines keep it the same finding.
"""
