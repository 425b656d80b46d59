"""Contains all the data models used in inputs/outputs"""

from .detail import Detail

__all__ = ("Detail",)
