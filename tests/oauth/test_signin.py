"""``/login``: the form, its cookies, CSRF, the same error for both failures, and
the rate limits per account and per address."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from genie.ratelimit import Limit
from handlers.oauth import signin
from tests.conftest import Env
from tests.oauth.conftest import browser_for, csrf_of, person, sign_in


def _cookie(response: httpx.Response, name: str) -> str:
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers
    return found[0]


async def test_the_page_sets_a_csrf_cookie_and_puts_its_token_in_the_form(
    browser: httpx.AsyncClient,
) -> None:
    page = await browser.get("/login", params={"next": "/djinn/ui/"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert csrf_of(page.text)
    cookie = _cookie(page, "genie_csrf").lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert page.headers["x-frame-options"] == "DENY"


async def test_signing_in_sets_a_signed_session_cookie_and_redirects(
    pg: Env, browser: httpx.AsyncClient
) -> None:
    who = await person(pg)
    page = await browser.get("/login", params={"next": "/djinn/ui/#x"})
    form = {"username": who.username, "password": who.password, "csrf_token": csrf_of(page.text)}
    answer = await browser.post("/login", data={**form, "next": "/djinn/ui/#x"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/djinn/ui/#x"
    cookie = _cookie(answer, "genie_session").lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert who.password not in answer.text


async def test_the_session_cookie_is_secure_over_https(pg: Env) -> None:
    who = await person(pg)
    async with browser_for(pg, "https://testserver") as client:
        answer = await sign_in(client, who)
    assert answer.status_code == 303
    assert "secure" in _cookie(answer, "genie_session").lower()


@pytest.mark.parametrize("token", [None, "", "forged", "x.y"])
async def test_a_form_without_a_valid_csrf_token_is_refused(
    pg: Env, browser: httpx.AsyncClient, token: str | None
) -> None:
    who = await person(pg)
    await browser.get("/login")
    form = {"username": who.username, "password": who.password}
    if token is not None:
        form["csrf_token"] = token
    answer = await browser.post("/login", data=form)
    assert answer.status_code == 403
    assert "genie_session" not in answer.headers.get("set-cookie", "")


async def test_a_token_from_another_browser_is_refused(pg: Env) -> None:
    who = await person(pg)
    async with browser_for(pg) as mallory, browser_for(pg) as victim:
        token = csrf_of((await mallory.get("/login")).text)
        await victim.get("/login")
        form = {"username": who.username, "password": who.password, "csrf_token": token}
        assert (await victim.post("/login", data=form)).status_code == 403


async def test_unknown_user_and_wrong_password_read_the_same(
    pg: Env, browser: httpx.AsyncClient
) -> None:
    who = await person(pg)
    token = csrf_of((await browser.get("/login")).text)
    wrong = await browser.post(
        "/login", data={"username": who.username, "password": "nope-nope", "csrf_token": token}
    )
    unknown = await browser.post(
        "/login", data={"username": "nobody-here", "password": "nope-nope", "csrf_token": token}
    )
    nul = await browser.post(
        "/login", data={"username": "no\x00body", "password": "nope-nope", "csrf_token": token}
    )
    assert wrong.status_code == unknown.status_code == nul.status_code == 401
    assert signin.WRONG in wrong.text and signin.WRONG in unknown.text and signin.WRONG in nul.text
    assert "genie_session" not in wrong.headers.get("set-cookie", "")


async def test_next_never_leaves_the_site(pg: Env, browser: httpx.AsyncClient) -> None:
    who = await person(pg)
    token = csrf_of((await browser.get("/login")).text)
    form = {"username": who.username, "password": who.password, "csrf_token": token}
    answer = await browser.post("/login", data={**form, "next": "//evil.example.com/"})
    assert answer.headers["location"] == "/djinn/ui/"


async def test_failed_sign_ins_are_limited_per_account(pg: Env, browser: httpx.AsyncClient) -> None:
    who = await person(pg)
    token = csrf_of((await browser.get("/login")).text)
    wrong = {"username": who.username, "password": "wrong-password", "csrf_token": token}
    for _ in range(signin.ACCOUNT_LIMIT.hits):
        assert (await browser.post("/login", data=wrong)).status_code == 401
    # Now even the right password is refused, before it is checked.
    right = {**wrong, "password": who.password}
    limited = await browser.post("/login", data=right)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["retry-after"]) <= 15 * 60
    assert "genie_session" not in limited.headers.get("set-cookie", "")


async def test_failed_sign_ins_are_limited_per_address(
    pg: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signin, "ADDRESS_LIMIT", Limit("signin-addr-test", 3, timedelta(minutes=1)))
    who = await person(pg)
    async with browser_for(pg) as client:
        token = csrf_of((await client.get("/login")).text)
        for n in range(3):
            guess = {"username": f"guess{n}-{who.username}", "password": "x" * 9}
            answer = await client.post("/login", data={**guess, "csrf_token": token})
            assert answer.status_code == 401
        right = {"username": who.username, "password": who.password, "csrf_token": token}
        assert (await client.post("/login", data=right)).status_code == 429
