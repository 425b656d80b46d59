"""Pagination, in one place: one helper applies page and limit to a ``select()``,
and one renderer per API turns the page into its wire format.

The helper never counts rows unless the page asked for lies past the end: it
fetches one row more than a page to learn whether a next page exists. Models
describe a list as a :class:`models.rows.Listing` of prebuilt statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from handlers._http import base_url, json_response
from models.rows import Listing

T = TypeVar("T")
Executor = AsyncConnection | AsyncSession
DJINN_PAGE_SIZE = 25


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    prev: int
    next: int


async def _fetch(conn: Executor, listing: Listing, limit: int, offset: int) -> list[Any]:
    params = {**listing.params, "limit": limit, "offset": offset}
    return list((await conn.execute(listing.page, params)).all())


async def paginate(
    conn: Executor, listing: Listing, page: int, per_page: int = DJINN_PAGE_SIZE
) -> Page[Any]:
    """The page ``page`` of ``listing``; a page past the end gives the last page."""
    page = max(page, 1)
    rows = await _fetch(conn, listing, per_page + 1, (page - 1) * per_page)
    if rows or page == 1:
        has_next = len(rows) > per_page
        return Page(rows[:per_page], page, max(page - 1, 1), page + 1 if has_next else page)
    total = await conn.scalar(listing.count, listing.params)
    last = max(1, -(-int(total or 0) // per_page))
    rows = await _fetch(conn, listing, per_page, (last - 1) * per_page)
    return Page(rows, last, max(last - 1, 1), last)


def page_url(req: Request, page: int) -> str:
    """The request's absolute URL with only ``page`` replaced (every value encoded)."""
    params = [(k, v) for k, v in req.query_params.multi_items() if k != "page"]
    params.append(("page", str(page)))
    return f"{base_url(req)}{req.url.path}?{urlencode(params)}"


def djinn_list(req: Request, page: Page[Any], items: list[Any]) -> Response:
    """A bare JSON array plus ``Link`` with both ``prev`` and ``next``."""
    link = f'<{page_url(req, page.prev)}>; rel="prev", <{page_url(req, page.next)}>; rel="next"'
    return json_response(items, 200, {"Link": link})
