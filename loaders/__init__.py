"""Thin dlt loaders: one source module per system, a pipeline runner and a CLI."""
