"""Sections of this app (pairs) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
