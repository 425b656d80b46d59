"""What a running app holds: settings, the async engine and the storage.

The app factory builds one :class:`Runtime`; a tiny middleware puts it in every
request's ASGI scope, where handlers and security functions find it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from genie.crypto import Crypto
from genie.db import create_async, sessionmaker_for
from genie.jobs import Worker
from genie.settings import Settings
from genie.storage import FilesystemStorage, Storage

SCOPE_KEY = "genie.runtime"


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    storage: Storage
    #: The same pool in autocommit mode: reads need no BEGIN/ROLLBACK round trips.
    reader: AsyncEngine
    #: Encryption at rest and HMACs (``GENIE_SECRET_KEY``).
    crypto: Crypto
    #: The background job worker; ``jobs.wake()`` after committing new jobs.
    jobs: Worker = field(init=False)

    def __post_init__(self) -> None:
        self.jobs = Worker(self)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        engine = create_async(settings.database_url, pool_size=settings.pool_size)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessionmaker_for(engine),
            storage=FilesystemStorage(settings.data_dir),
            reader=engine.execution_options(isolation_level="AUTOCOMMIT"),
            crypto=Crypto.from_settings(settings),
        )

    async def close(self) -> None:
        await self.jobs.stop()
        await self.engine.dispose()


def from_scope(scope: MutableMapping[str, Any]) -> Runtime:
    runtime: Runtime = scope[SCOPE_KEY]
    return runtime


class RuntimeMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[SCOPE_KEY] = self.runtime
        await self.app(scope, receive, send)
