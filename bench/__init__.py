"""``make bench``: the performance figures of the pipeline on this machine."""
