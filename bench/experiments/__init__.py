"""Experiments behind the bench's figures: re-runnable, not part of ``make bench``."""
