"""Analyses: pure functions from a journey graph to plain data."""
