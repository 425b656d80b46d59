"""Pagination, in one place: one helper applies page and limit to a ``select()``,
and one renderer per API turns the page into its wire format.

* Djinn (:func:`paginate`, :func:`djinn_list`): a bare array and a ``Link``
  header. Rows are never counted unless the page asked for lies past the end: one
  row more than a page tells whether a next page exists.
* DjaoDjin (:func:`drf_paginate`, :func:`drf_list`): DRF's ``PageNumberPagination``,
  ``{count, next, previous, results}``. ``page`` is 1-based (or ``last``);
  ``page_size`` is 1 to 100, 25 by default, falling back to 25 when it is not a
  positive integer and capped at 100. A page out of range, zero or not a number is
  404 ``Invalid page.``; an empty list is page 1 with ``count: 0``.

Models describe a list as a :class:`models.rows.Listing` of prebuilt statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from handlers._errors import NotFound
from handlers._http import base_url, json_response, request_path
from models.rows import Listing

T = TypeVar("T")
Executor = AsyncConnection | AsyncSession
DJINN_PAGE_SIZE = 25
DRF_PAGE_SIZE = 25
DRF_MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    prev: int
    next: int


async def _fetch(conn: Executor, listing: Listing, limit: int, offset: int) -> list[Any]:
    params = {**listing.params, "limit": limit, "offset": offset}
    if listing.prepared is not None:
        return list(await listing.prepared.all(conn, params))
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


def _query_without_page(req: Request) -> str:
    """The request's query, every value encoded, without ``page``."""
    raw: bytes = req.scope.get("query_string", b"")
    if not raw:
        return ""
    # As Starlette's ``QueryParams`` parses it, without building one.
    items = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, v) for k, v in items if k != "page"])


def page_url_prefix(req: Request) -> str:
    """The request's absolute URL with ``page`` taken out and put last, up to its
    value: the URL of page ``n`` is this followed by ``n``. Worked out once for
    both links of a page."""
    kept = _query_without_page(req)
    return f"{base_url(req)}{request_path(req)}?{kept}{'&' if kept else ''}page="


def djinn_list(req: Request, page: Page[Any], items: list[Any]) -> Response:
    """A bare JSON array plus ``Link`` with both ``prev`` and ``next``."""
    url = page_url_prefix(req)
    link = f'<{url}{page.prev}>; rel="prev", <{url}{page.next}>; rel="next"'
    return json_response(items, 200, {"Link": link})


@dataclass(frozen=True)
class CountedPage(Generic[T]):
    items: list[T]
    page: int
    count: int
    last: int


def drf_page_size(value: str | None) -> int:
    """DRF's ``page_size``: a positive integer capped at 100, else the default."""
    try:
        size = int(value or "")
    except ValueError:
        return DRF_PAGE_SIZE
    return DRF_PAGE_SIZE if size < 1 else min(size, DRF_MAX_PAGE_SIZE)


async def drf_paginate(
    conn: Executor, listing: Listing, page: str | None, page_size: str | None
) -> CountedPage[Any]:
    """The page ``page`` of ``listing`` with the total count; 404 ``Invalid page.``
    when ``page`` is not a page of it."""
    size = drf_page_size(page_size)
    count = int(await conn.scalar(listing.count, listing.params) or 0)
    last = max(1, -(-count // size))
    wanted = (page or "1").strip()
    if wanted == "last":
        number = last
    elif wanted.isdigit() and wanted.isascii() and 1 <= int(wanted) <= last:
        number = int(wanted)
    else:
        raise NotFound("Invalid page.")
    rows = await _fetch(conn, listing, size, (number - 1) * size) if count else []
    return CountedPage(rows, number, count, last)


def drf_page_url(req: Request, page: int) -> str:
    """The request's absolute URL for ``page``; page 1 drops ``page`` (as DRF does)."""
    query = _query_without_page(req)
    if page > 1:
        query += f"{'&' if query else ''}page={page}"
    return f"{base_url(req)}{request_path(req)}{'?' + query if query else ''}"


def drf_list(req: Request, page: CountedPage[Any], items: list[Any]) -> Response:
    """``{count, next, previous, results}`` with absolute ``next``/``previous``."""
    return json_response(
        {
            "count": page.count,
            "next": drf_page_url(req, page.page + 1) if page.page < page.last else None,
            "previous": drf_page_url(req, page.page - 1) if page.page > 1 else None,
            "results": items,
        }
    )
