"""`journeymap diff`: what a change to a journey does to the customer.

``sources`` reads the two sides (files, folders, or a file at a git revision); ``structure``
matches touchpoints, stages, failures and promises and words what was added, removed, renamed or
moved; ``scores`` compares the two `report --format json` documents; ``compare`` puts them together
and decides whether anything got worse; ``text``, ``markdown`` and ``json_out`` write the result.
"""
