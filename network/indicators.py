"""The effect of network interaction as registered calculations (issue 11, item 5)."""
