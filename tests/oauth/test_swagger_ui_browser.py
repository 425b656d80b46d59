"""A real browser (Debian's chromium, driven by Playwright; no browser download)
signs in through Djinn's Swagger UI: Authorize runs genie's own OAuth flow with
PKCE, then Try it out on ``GET /user`` sends the token. A screenshot of each step
is kept under ``tests/artifacts/swagger-ui/`` (git-ignored)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright

from tests.conftest import LiveServer
from tests.daemons import need_binary
from tests.leaks import WATCH
from tests.oauth.test_live_authlib import _cli

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "swagger-ui"
TIMEOUT = 30_000  # ms: a loaded 2-core machine renders Swagger UI slowly


async def _shot(page: Page, name: str, taken: list[str]) -> None:
    path = ARTIFACTS / f"{len(taken) + 1:02d}-{name}.png"
    await page.screenshot(path=str(path))
    taken.append(path.name)


async def _sign_in_in_popup(popup: Page, password: str, taken: list[str]) -> None:
    await popup.wait_for_selector("#username", timeout=TIMEOUT)
    await _shot(popup, "sign-in", taken)
    await popup.fill("#username", "live")
    await popup.fill("#password", password)
    await popup.click("#sign-in")
    await popup.wait_for_selector("#allow", timeout=TIMEOUT)
    assert "Read namespaces" in await popup.content()
    await _shot(popup, "consent", taken)
    async with popup.expect_event("close", timeout=TIMEOUT):
        await popup.click("#allow")


async def test_authorize_and_try_it_out(live_server: LiveServer) -> None:
    chromium = need_binary("chromium", "chromium")
    password = f"pw-{secrets.token_urlsafe(16)}"
    WATCH.register(password)
    _cli(live_server, "users", "set-password", "live", stdin=password)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    taken: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(TIMEOUT)
            await page.goto(f"{live_server.url}/djinn/ui/")
            await page.wait_for_selector(".opblock", timeout=TIMEOUT)
            await _shot(page, "swagger-ui", taken)
            await page.click(".auth-wrapper .authorize")
            dialog = page.locator(".auth-container").filter(has_text="authorizationCode")
            await dialog.wait_for()
            await dialog.locator("label").filter(has_text="namespace:read").first.click()
            await _shot(page, "authorize-dialog", taken)
            async with page.expect_popup() as popup_info:
                await dialog.get_by_role("button", name="Authorize").click()
            await _sign_in_in_popup(await popup_info.value, password, taken)
            await dialog.get_by_role("button", name="Logout").wait_for()
            await _shot(page, "authorized", taken)
            await page.locator(".auth-btn-wrapper .btn-done").first.click()
            await _try_user(page, taken)
        finally:
            await browser.close()
    print("\nscreenshots:", ", ".join(taken))


async def _try_user(page: Page, taken: list[str]) -> None:
    operation = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/user"]')
    )
    await operation.locator(".opblock-summary").first.click()
    await operation.get_by_role("button", name="Try it out").click()
    await operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    await status.wait_for()
    body = operation.locator(".live-responses-table .microlight").first
    await body.wait_for()
    await status.scroll_into_view_if_needed()
    await _shot(page, "try-it-out", taken)
    assert (await status.inner_text()).strip() == "200"
    assert '"username": "live"' in await body.inner_text()


@pytest.fixture(autouse=True)
def _artifacts_are_ignored() -> None:
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text()
    assert "tests/artifacts/" in ignored
