"""What counts as the database being unreachable (an outage, a restart), as
opposed to a fault: such errors are answered 503 with ``Retry-After``, never 500.

The pool recovers on its own once the database is back: a check refuses, as it is
checked out, a connection the server closed (:func:`genie.db.create_engines`), and a
connection that failed mid-query invalidates the pool's older ones.
"""

from __future__ import annotations

from sqlalchemy import exc as sa

#: The message of the 503, and the seconds its ``Retry-After`` asks for.
OUTAGE = "The database is unavailable; retry shortly."
OUTAGE_RETRY = 5
#: SQLSTATE classes of a lost or refused connection: 08 (connection exception),
#: 57P (operator intervention: shutting down, starting up, crash recovery).
OUTAGE_SQLSTATES = ("08", "57P")


def _driver_errors() -> tuple[type[BaseException], ...]:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg ships with genie
        return ()
    return (asyncpg.InterfaceError, asyncpg.exceptions.InternalClientError)


_DRIVER_ERRORS = _driver_errors()


def _from_driver(exc: BaseException) -> bool:
    """Whether ``exc`` was raised inside SQLAlchemy or asyncpg (not a client's stream)."""
    tb = exc.__traceback__
    while tb is not None:
        if str(tb.tb_frame.f_globals.get("__name__", "")).startswith(("sqlalchemy", "asyncpg")):
            return True
        tb = tb.tb_next
    return False


def _lost_connection(exc: BaseException) -> bool:
    if isinstance(exc, _DRIVER_ERRORS):
        return True
    if isinstance(exc, ConnectionError) and _from_driver(exc):
        return True
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    return isinstance(sqlstate, str) and sqlstate.startswith(OUTAGE_SQLSTATES)


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is out of reach, not that a query was wrong."""
    if isinstance(exc, sa.TimeoutError):  # the pool had no connection to give in time
        return True
    if isinstance(exc, sa.DBAPIError) and (
        exc.connection_invalidated or isinstance(exc, sa.OperationalError | sa.InterfaceError)
    ):
        return True
    # asyncpg raises a refused or reset connection unwrapped; else the driver's own
    # error sits behind SQLAlchemy's (``orig``, then its cause).
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return False
        if _lost_connection(seen):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False
