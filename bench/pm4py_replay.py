"""PM4Py's token-based replay of an event log, for bench/observe.py (run in PM4Py's own venv).

    python pm4py_replay.py events.parquet

The Petri net is discovered (inductive miner) from the first 2,000 cases, so that the time is
mostly the replay of the whole log against it. Prints the share of fitting traces.
"""

import sys

import pandas as pd
import pm4py

frame = pd.read_parquet(sys.argv[1])
frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
log = pm4py.format_dataframe(frame, case_id="case_id", activity_key="activity",
                             timestamp_key="timestamp")
sample = log[log["case:concept:name"].isin(log["case:concept:name"].unique()[:2000])]
net, im, fm = pm4py.discover_petri_net_inductive(sample)
fitness = pm4py.fitness_token_based_replay(log, net, im, fm)
print(fitness["perc_fit_traces"])
