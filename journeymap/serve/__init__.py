"""Workshop mode: `journeymap serve` shows every journey under a folder as a live web page, and
`journeymap render --watch` keeps map files up to date, both re-drawing as the facilitator saves.

    workspace.py   the journeys under a root, each with its latest findings and its last good map
    pages.py       the HTML of the index and of a journey page (pure functions)
    server.py      the local web server: pages, fragments, its own assets and the event stream
    watching.py    change detection (watchfiles): one call per burst of saves
    app.py         wiring: scan, bind, announce, watch, shut down cleanly
    rerender.py    `render --watch`: re-write each changed journey's map file
"""
