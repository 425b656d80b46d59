"""The secret watch of ``tests.leaks`` catches what it is meant to catch."""

from __future__ import annotations

import logging
import secrets

import httpx
import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.conftest import Env
from tests.leaks import WATCH, SecretLeaked, SecretWatch


def private_key() -> str:
    return (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        .decode()
    )


def json_response(body: object) -> httpx.Response:
    return httpx.Response(
        200,
        content=orjson.dumps(body),
        headers={"content-type": "application/json"},
        request=httpx.Request("GET", "http://testserver/x"),
    )


async def test_finds_a_key_escaped_in_json_and_a_single_line_of_it() -> None:
    watch = SecretWatch()
    key = private_key()
    watch.register(key)
    with pytest.raises(SecretLeaked):
        await watch.check_response(json_response({"key": key}))
    line = [line for line in key.splitlines() if "-----" not in line][2]
    with pytest.raises(SecretLeaked):
        await watch.check_response(json_response([{"deep": [f"prefix {line} suffix"]}]))
    # The armour alone is no leak; nor is an unrelated key.
    await watch.check_response(json_response({"k": "-----BEGIN OPENSSH PRIVATE KEY-----"}))
    await watch.check_response(json_response({"key": private_key()}))


async def test_finds_a_value_in_headers() -> None:
    watch = SecretWatch()
    watch.register("value-" + secrets.token_hex(8))
    (value,) = watch.fragments
    response = httpx.Response(204, headers={"x-echo": value}, request=httpx.Request("GET", "/"))
    with pytest.raises(SecretLeaked):
        await watch.check_response(response)


def test_records_a_secret_in_a_log_record() -> None:
    watch = SecretWatch()
    watch.register("value-" + secrets.token_hex(8))
    (value,) = watch.fragments
    logger = logging.getLogger("tests.leaks.demo")
    logger.addHandler(watch)
    try:
        logger.warning("all fine")
        assert watch.logged == []
        logger.error("failed with %s", value)
        assert watch.logged == [f"tests.leaks.demo: ...{value[:8]}..."]
    finally:
        logger.removeHandler(watch)


async def test_the_app_clients_are_watched(pg: Env) -> None:
    """A registered value that a response echoes fails the request that got it."""
    alice = await pg.account()
    echoed = "unmasked-" + secrets.token_hex(12)
    WATCH.register(echoed)
    with pytest.raises(SecretLeaked):
        await pg.client.post(
            "/djinn/variables", json={"key": "ECHO", "value": echoed}, headers=alice.auth
        )


def test_finds_a_secret_in_a_json_log_line_even_escaped() -> None:
    """A JSON log line hides a secret with a quote or a backslash behind escapes:
    the watch decodes the line, and finds it in any field."""
    watch = SecretWatch()
    secret = 'pass"word\\' + secrets.token_hex(8)
    watch.register(secret)
    line = orjson.dumps({"level": "INFO", "message": "GET /x 200", "query": secret}).decode()
    assert secret not in line  # escaped: a raw search alone would miss it
    log = '{"level": "INFO", "message": "fine"}\nnot json at all\n' + line + "\n"
    with pytest.raises(SecretLeaked, match="line 3"):
        watch.scan_log("a server's log", log)
    watch.scan_log("a clean log", log.replace(line, '{"query": "page=2&token"}'))


def test_records_a_secret_carried_only_in_a_records_extras() -> None:
    """A record whose message is clean but whose ``extra`` fields (the JSON
    format writes them) carry a secret is caught, at INFO too."""
    watch = SecretWatch()
    watch.register("value-" + secrets.token_hex(8))
    (value,) = watch.fragments
    logger = logging.getLogger("tests.leaks.extras")
    logger.addHandler(watch)
    logger.setLevel(logging.INFO)
    try:
        logger.info("GET /djinn/objects 200", extra={"query": "page=2"})
        assert watch.logged == []
        logger.info("GET /djinn/objects 200", extra={"query": f"token={value}"})
        assert watch.logged == [f"tests.leaks.extras: ...{value[:8]}..."]
    finally:
        logger.removeHandler(watch)
        logger.setLevel(logging.NOTSET)
