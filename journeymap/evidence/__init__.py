"""Survey evidence on touchpoints: intervals, the rules JM401–JM403, the CSV join and the four factors.

``intervals`` is pure arithmetic on counts; ``items`` turns written fields into :class:`Evidence`;
``measure`` gives each item its figure and margin; ``rules`` judges them; ``table`` joins a CSV.
"""
