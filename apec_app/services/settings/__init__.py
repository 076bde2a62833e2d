"""The back office's settings (institutions, materials, notices, economies, staff accounts)."""
