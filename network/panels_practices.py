"""Sections of this app (practices) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
