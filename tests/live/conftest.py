"""Fixtures shared with the handler tests: the webhook ``receiver``."""

from tests.handlers.djinn.conftest import receiver

__all__ = ["receiver"]
