"""Reliability tooling: reconciliation, warehouse fingerprints, crash trials, soak.

It reconciles raw against the sandbox's ground truth, compares two warehouses, kills
loads at chosen phases, and runs the soak command (``make soak``). It sits beside
``loaders`` and ``sandbox`` rather than inside either: it needs both (the loaders to
run, the sandbox's deterministic world as the oracle), and neither should depend on
the other.
"""
