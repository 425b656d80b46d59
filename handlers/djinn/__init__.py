"""Djinn CI API operations (``openapi/djinn.yaml``), one module per resource."""
