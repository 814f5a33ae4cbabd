"""Sections of this app (tiers) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
