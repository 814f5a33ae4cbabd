"""Sections of this app (results) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
