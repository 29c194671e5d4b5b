"""Spiders: a single generic spider for every outlet in the registry."""
