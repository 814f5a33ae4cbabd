"""Services of diagnostics: writes in one transaction, refusals as core.errors.AppError."""
