"""Operational endpoints (``openapi/service.yaml``)."""
