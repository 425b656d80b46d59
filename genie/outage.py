"""What counts as the database being unreachable (an outage, a restart), as
opposed to a fault: such errors are answered 503 with ``Retry-After``, never 500.

The pool recovers on its own once the database is back: ``pool_pre_ping`` tests
each connection as it is checked out (:func:`genie.db.create_async`), and a
connection that failed mid-query invalidates the pool's older ones.
"""

from __future__ import annotations

from sqlalchemy import exc as sa

#: The message of the 503, and the seconds its ``Retry-After`` asks for.
OUTAGE = "The database is unavailable; retry shortly."
OUTAGE_RETRY = 5


def _asyncpg_errors() -> tuple[type[BaseException], ...]:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg ships with genie
        return ()
    return (
        asyncpg.PostgresConnectionError,
        asyncpg.CannotConnectNowError,
        asyncpg.InterfaceError,
        asyncpg.ConnectionDoesNotExistError,
    )


_DRIVER_ERRORS = _asyncpg_errors()


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is out of reach, not that a query was wrong."""
    if isinstance(exc, sa.DBAPIError):
        if exc.connection_invalidated or isinstance(exc, sa.OperationalError | sa.InterfaceError):
            return True
        return isinstance(exc.orig, _DRIVER_ERRORS)
    if isinstance(exc, sa.TimeoutError):  # the pool had no connection to give in time
        return True
    # asyncpg raises a refused connection as it is, unwrapped by SQLAlchemy.
    return isinstance(exc, (ConnectionRefusedError, *_DRIVER_ERRORS))
