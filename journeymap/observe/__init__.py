"""Declared vs observed: event logs drawn from a journey (simulate) and checked against it (observe).

The room of issue 16. ``declared`` reads what the journey says (shares, traffic, times, promise
probabilities) through the public scoring functions; ``simulate`` draws an event log from that
chain; ``logs``, ``queries`` and ``engines`` read a real log with DuckDB or Spark running the same
SQL; ``compare`` sets the observed figures beside the declared ones; ``rules`` turns them into
JM501–JM503; ``calibrate`` writes the observed figures back into the journey file.
"""
