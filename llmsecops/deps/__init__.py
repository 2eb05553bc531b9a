"""The dependency audit's own parts: manifest parsers, version semantics, the
local OSV database, the OSV query API and ``db update``.

Nothing here installs, builds or imports anything from a scanned repository:
manifests are read as text and parsed by pure functions.
"""
