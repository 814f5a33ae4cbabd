"""Survey screens, one module per area (builder, campaigns, respond, results)."""
