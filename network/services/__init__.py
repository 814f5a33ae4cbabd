"""Writes of the network app, one module per area (tiers, results, pairs, practices)."""
