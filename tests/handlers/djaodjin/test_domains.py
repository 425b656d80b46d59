"""DjaoDjin domains on PostgreSQL: fields and their rules, certificates (upload,
pairing, coverage, CSR), write-only secrets encrypted at rest, and the test e-mail
through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select, update

from genie.settings import Settings
from models import User
from models.domains import KEY_PURPOSE, SMTP_PASSWORD_PURPOSE, Domain
from tests.conftest import Env, app_client, free_port
from tests.handlers.djaodjin.conftest import API, SCAN, DjaoDjin, Member
from tests.handlers.djaodjin.pki import Authority
from tests.handlers.djaodjin.smtp import REFUSED, SmtpSink

CA = Authority.create()
FIELDS = [
    "slug",
    "domain",
    "url",
    "ssl_certificate",
    "cert_type",
    "from_email",
    "email_host",
    "email_port",
    "email_host_user",
    "authentication",
    "billing",
    "state",
]


async def setup(dj: DjaoDjin, **fields: Any) -> tuple[Member, str, str, dict[str, Any]]:
    """A manager, their organization, a container and its domain (with ``fields``)."""
    alice = await dj.member()
    org = await dj.organization(alice)
    app = (await dj.app(alice, org))["slug"]
    response = await dj.client.post(
        f"{API}/domains/{org}/", json={"slug": app, **fields}, headers=alice.auth
    )
    assert response.status_code == 201, response.text
    return alice, org, app, response.json()


def host() -> str:
    return f"site-{secrets.token_hex(4)}.example.com"


async def put(dj: DjaoDjin, member: Member, org: str, app: str, body: Any) -> Any:
    return await dj.client.put(f"{API}/domains/{org}/{app}/", json=body, headers=member.auth)


async def stored(dj: DjaoDjin, domain: str) -> Domain:
    async with dj.env.runtime.sessions() as session:
        row = await session.scalar(select(Domain).where(Domain.domain == domain))
    assert row is not None
    return row


# Fields


async def test_create_and_read_in_documented_order(dj: DjaoDjin) -> None:
    alice, org, app, created = await setup(dj)
    assert list(created) == FIELDS
    assert created == {
        "slug": app,
        "domain": None,
        "url": f"https://{app}.djaoapp.com/",
        "ssl_certificate": None,
        "cert_type": "default",
        "from_email": None,
        "email_host": None,
        "email_port": None,
        "email_host_user": None,
        "authentication": 0,
        "billing": org,
        "state": "active",
    }
    name = host()
    changed = await put(
        dj,
        alice,
        org,
        app,
        {
            "domain": name.upper(),
            "from_email": "support@example.com",
            "email_host": "smtp.example.com",
            "email_port": 587,
            "email_host_user": "support@example.com",
            "authentication": 2,
            "email_host_password": SCAN.secret(secrets.token_urlsafe(16)),
        },
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        **created,
        "domain": name,
        "url": f"https://{name}/",
        "from_email": "support@example.com",
        "email_host": "smtp.example.com",
        "email_port": 587,
        "email_host_user": "support@example.com",
        "authentication": 2,
        "state": "pending",
    }
    for url in [f"{API}/domains/{org}/{app}/", f"{API}/domains/{org}/", f"{API}/domains/"]:
        response = await dj.client.get(url, headers=alice.auth)
        text = response.text
        assert "password" not in text and "ssl_certificate_key" not in text
    listed = await dj.client.get(f"{API}/domains/{org}/", headers=alice.auth)
    assert listed.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [changed.json()],
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"domain": "not a host"}, {"domain": ["Enter a valid 'domain', ex: example.com"]}),
        ({"domain": "-bad.example.com"}, {"domain": ["Enter a valid 'domain', ex: example.com"]}),
        ({"from_email": "nobody"}, {"from_email": ["Enter a valid email address."]}),
        (
            {"email_port": 70000, "authentication": 5},
            {
                "email_port": ["Ensure this value is less than or equal to 65535."],
                "authentication": ['"5" is not a valid choice.'],
            },
        ),
        ({"email_host": "smtp example"}, {"email_host": ["Enter a valid host name."]}),
        ({"authentication": None}, {"authentication": ["This field may not be null."]}),
        (
            {"email_host_user": "u" * 129},
            {"email_host_user": ["Ensure this field has no more than 128 characters."]},
        ),
    ],
)
async def test_field_errors(dj: DjaoDjin, body: dict[str, Any], errors: dict[str, Any]) -> None:
    alice, org, app, _ = await setup(dj)
    response = await put(dj, alice, org, app, body)
    assert response.status_code == 400
    first = next(iter(errors.items()))
    assert response.json() == {"detail": f"{first[0]}: {first[1][0]}", **errors}


async def test_form_values_are_converted_by_type(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj)
    url = f"{API}/domains/{org}/{app}/"
    response = await dj.client.put(
        url,
        data={"email_port": "587", "authentication": "1", "email_host": ""},
        headers=alice.auth,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["email_port"], body["authentication"], body["email_host"]) == (587, 1, None)
    bad = await dj.client.put(url, data={"email_port": "smtp"}, headers=alice.auth)
    assert bad.json() == {
        "detail": "email_port: A valid integer is required.",
        "email_port": ["A valid integer is required."],
    }


async def test_a_domain_names_one_of_the_organizations_containers_once(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj, domain=(name := host()))
    again = await dj.client.post(f"{API}/domains/{org}/", json={"slug": app}, headers=alice.auth)
    assert again.json() == {
        "detail": "slug: This slug is already taken.",
        "slug": ["This slug is already taken."],
    }
    bob = await dj.member()
    bobs = await dj.organization(bob)
    foreign = await dj.client.post(f"{API}/domains/{bobs}/", json={"slug": app}, headers=bob.auth)
    assert foreign.json() == {
        "detail": f"slug: Object with slug={app} does not exist.",
        "slug": [f"Object with slug={app} does not exist."],
    }
    bobs_app = (await dj.app(bob, bobs))["slug"]
    taken = await dj.client.post(
        f"{API}/domains/{bobs}/",
        json={"slug": bobs_app, "domain": name.upper()},
        headers=bob.auth,
    )
    assert taken.json() == {
        "detail": "domain: This domain is already taken.",
        "domain": ["This domain is already taken."],
    }


async def test_post_domains_uses_billing_or_the_personal_organization(dj: DjaoDjin) -> None:
    alice, bob = await dj.member(), await dj.member()
    personal_app = (await dj.app(alice, alice.username))["slug"]
    response = await dj.client.post(
        f"{API}/domains/", json={"slug": personal_app}, headers=alice.auth
    )
    assert response.status_code == 201, response.text
    assert response.json()["billing"] == alice.username
    org = await dj.organization(alice)
    app = (await dj.app(alice, org))["slug"]
    response = await dj.client.post(
        f"{API}/domains/", data={"slug": app, "billing": org}, headers=alice.auth
    )
    assert response.status_code == 201
    assert response.json()["billing"] == org
    denied = await dj.client.post(
        f"{API}/domains/", json={"slug": app, "billing": org}, headers=bob.auth
    )
    assert (denied.status_code, denied.json()) == (403, {"detail": "Permission denied"})


# Certificates


async def test_upload_a_certificate_with_its_key(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj, domain=(name := host()))
    chain, key = CA.leaf(name)
    SCAN.secret(key)
    response = await put(
        dj, alice, org, app, {"ssl_certificate": chain, "ssl_certificate_key": key}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["cert_type"], body["state"]) == ("custom", "active")
    assert body["ssl_certificate"] == chain
    row = await stored(dj, name)
    assert row.ssl_key_enc is not None and key.encode() not in row.ssl_key_enc
    assert dj.env.runtime.crypto.decrypt(row.ssl_key_enc, purpose=KEY_PURPOSE).decode() == key
    # Sent again alone, the certificate pairs with the stored key.
    again = await put(dj, alice, org, app, {"ssl_certificate": chain})
    assert again.status_code == 200


async def test_a_multipart_upload_of_pem_files(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj, domain=(name := host()))
    chain, key = CA.leaf(f"*.{name.split('.', 1)[1]}")
    SCAN.secret(key)
    response = await dj.client.put(
        f"{API}/domains/{org}/{app}/",
        files={
            "ssl_certificate": ("fullchain.pem", chain),
            "ssl_certificate_key": ("key.pem", key),
        },
        headers=alice.auth,
    )
    assert response.status_code == 200, response.text
    assert response.json()["cert_type"] == "custom"  # a wildcard covers one level


def pem_blocks(chain: str) -> list[str]:
    end = "-----END CERTIFICATE-----\n"
    return [block + end for block in chain.split(end) if block]


@pytest.mark.parametrize(
    ("case", "errors"),
    [
        ("mismatch", {"ssl_certificate_key": ["The private key does not match the certificate."]}),
        ("other name", {"ssl_certificate": ["The certificate does not cover {name}."]}),
        (
            "garbage",
            {
                "ssl_certificate": ["Enter a valid PEM-encoded certificate chain."],
                "ssl_certificate_key": ["Enter a valid PEM-encoded private key."],
            },
        ),
        (
            "out of order",
            {
                "ssl_certificate": [
                    "The certificate chain is not in order: each certificate must be issued by the "
                    "one after it, leaf first."
                ]
            },
        ),
        ("key alone", {"ssl_certificate": ["This field is required."]}),
        ("no key", {"ssl_certificate_key": ["This field is required."]}),
        ("no domain", {"domain": ["A custom domain is required to use a custom certificate."]}),
        ("two levels", {"ssl_certificate": ["The certificate does not cover {name}."]}),
    ],
)
async def test_certificate_errors(dj: DjaoDjin, case: str, errors: dict[str, Any]) -> None:
    name = host()
    alice, org, app, _ = await setup(dj, domain=None if case == "no domain" else name)
    chain, key = CA.leaf(name)
    _other_chain, other_key = CA.leaf(name)
    SCAN.secret(key)
    SCAN.secret(other_key)
    body: dict[str, Any] = {
        "mismatch": {"ssl_certificate": chain, "ssl_certificate_key": other_key},
        "other name": dict(
            zip(
                ("ssl_certificate", "ssl_certificate_key"),
                CA.leaf("elsewhere.example.org"),
                strict=True,
            )
        ),
        "garbage": {
            "ssl_certificate": "-----BEGIN CERTIFICATE-----\nnope\n",
            "ssl_certificate_key": "not a key",
        },
        "out of order": {
            "ssl_certificate": "".join(reversed(pem_blocks(chain))),
            "ssl_certificate_key": key,
        },
        "key alone": {"ssl_certificate_key": key},
        "no key": {"ssl_certificate": chain},
        "no domain": {"ssl_certificate": chain, "ssl_certificate_key": key},
        "two levels": {"ssl_certificate": CA.leaf("*.example.com")[0], "ssl_certificate_key": key},
    }[case]
    if case == "two levels":
        chain2, key2 = CA.leaf("*.example.com")
        SCAN.secret(key2)
        body = {"ssl_certificate": chain2, "ssl_certificate_key": key2, "domain": f"a.{name}"}
        name = f"a.{name}"
    response = await put(dj, alice, org, app, body)
    assert response.status_code == 400, response.text
    expected = {k: [m.replace("{name}", name) for m in v] for k, v in errors.items()}
    first = next(iter(expected.items()))
    assert response.json() == {"detail": f"{first[0]}: {first[1][0]}", **expected}
    shown = await dj.client.get(f"{API}/domains/{org}/{app}/", headers=alice.auth)
    assert shown.json()["cert_type"] == "default"  # nothing was stored


async def test_state_follows_the_certificate_dates(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj, domain=(name := host()))
    old, old_key = CA.leaf(name, start=datetime.now(UTC) - timedelta(days=100), days=30)
    SCAN.secret(old_key)
    expired = await put(
        dj, alice, org, app, {"ssl_certificate": old, "ssl_certificate_key": old_key}
    )
    assert (expired.status_code, expired.json()["state"]) == (200, "expired")
    early, early_key = CA.leaf(name, start=datetime.now(UTC) + timedelta(days=2))
    SCAN.secret(early_key)
    future = await put(
        dj, alice, org, app, {"ssl_certificate": early, "ssl_certificate_key": early_key}
    )
    assert future.json()["state"] == "pending"


async def test_changing_the_domain_under_a_certificate_that_does_not_cover_it(
    dj: DjaoDjin,
) -> None:
    base = host()
    alice, org, app, _ = await setup(dj, domain=f"www.{base}")
    chain, key = CA.leaf(f"*.{base}")
    SCAN.secret(key)
    assert (
        await put(dj, alice, org, app, {"ssl_certificate": chain, "ssl_certificate_key": key})
    ).status_code == 200
    moved = await put(dj, alice, org, app, {"domain": f"api.{base}"})
    assert moved.status_code == 200  # still covered by the wildcard
    refused = await put(dj, alice, org, app, {"domain": "other.example.org"})
    assert refused.json() == {
        "detail": "ssl_certificate: The certificate does not cover other.example.org.",
        "ssl_certificate": ["The certificate does not cover other.example.org."],
    }
    dropped = await put(dj, alice, org, app, {"domain": None})
    assert dropped.json()["domain"] == ["A custom domain is required to use a custom certificate."]


async def test_delete_certificates_is_idempotent(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj, domain=(name := host()))
    chain, key = CA.leaf(name)
    SCAN.secret(key)
    await put(dj, alice, org, app, {"ssl_certificate": chain, "ssl_certificate_key": key})
    await dj.client.post(f"{API}/domains/{org}/{app}/newcert/", headers=alice.auth)
    for _ in range(2):
        response = await dj.client.delete(
            f"{API}/domains/{org}/{app}/certificates/", headers=alice.auth
        )
        assert (response.status_code, response.content) == (204, b"")
    shown = (await dj.client.get(f"{API}/domains/{org}/{app}/", headers=alice.auth)).json()
    assert (shown["cert_type"], shown["ssl_certificate"], shown["state"]) == (
        "default",
        None,
        "pending",
    )
    row = await stored(dj, name)
    assert (row.ssl_key_enc, row.pending_key_enc) == (None, None)


@pytest.mark.parametrize(
    ("key_type", "check"),
    [
        ("rsa-2048", lambda k: isinstance(k, rsa.RSAPublicKey) and k.key_size == 2048),
        (
            "ec-p256",
            lambda k: isinstance(k, ec.EllipticCurvePublicKey) and k.curve.name == "secp256r1",
        ),
    ],
)
async def test_newcert_makes_a_csr_for_the_domain(dj: DjaoDjin, key_type: str, check: Any) -> None:
    alice, org, app, _ = await setup(dj, domain=(name := host()))
    response = await dj.client.post(
        f"{API}/domains/{org}/{app}/newcert/", json={"key_type": key_type}, headers=alice.auth
    )
    assert response.status_code == 201
    assert list(response.json()) == ["csr"]
    csr = x509.load_pem_x509_csr(response.json()["csr"].encode())
    assert csr.is_signature_valid
    assert isinstance(csr.signature_hash_algorithm, hashes.SHA256)
    assert csr.subject.rfc4514_string() == f"CN={name}"
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == name
    san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.value.get_values_for_type(x509.DNSName) == [name]
    assert check(csr.public_key())
    row = await stored(dj, name)
    assert row.pending_key_enc is not None and b"PRIVATE KEY" not in row.pending_key_enc


async def test_a_certificate_for_the_pending_key_is_accepted_alone(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj, domain=(name := host()))
    url = f"{API}/domains/{org}/{app}/newcert/"
    first = (await dj.client.post(url, headers=alice.auth)).json()["csr"]
    second = (await dj.client.post(url, data={"key_type": "ec-p256"}, headers=alice.auth)).json()
    stale = await put(dj, alice, org, app, {"ssl_certificate": CA.sign_csr(first)})
    assert stale.json() == {  # each newcert replaces the pending key
        "detail": "ssl_certificate_key: This field is required.",
        "ssl_certificate_key": ["This field is required."],
    }
    signed = CA.sign_csr(second["csr"])
    response = await put(dj, alice, org, app, {"ssl_certificate": signed})
    assert response.status_code == 200, response.text
    assert (response.json()["cert_type"], response.json()["state"]) == ("custom", "active")
    row = await stored(dj, name)
    assert row.pending_key_enc is None and row.ssl_key_enc is not None


async def test_newcert_needs_a_custom_domain(dj: DjaoDjin) -> None:
    alice, org, app, _ = await setup(dj)
    response = await dj.client.post(f"{API}/domains/{org}/{app}/newcert/", headers=alice.auth)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "domain: A custom domain is required to generate a certificate request.",
        "domain": ["A custom domain is required to generate a certificate request."],
    }


# SMTP password and test e-mail


async def test_the_smtp_password_is_write_only_and_encrypted(dj: DjaoDjin) -> None:
    password = SCAN.secret(f"pw-{secrets.token_urlsafe(12)}")
    alice, org, app, created = await setup(
        dj, domain=(name := host()), email_host_password=password
    )
    assert "email_host_password" not in created
    row = await stored(dj, name)
    assert row.email_host_password_enc is not None
    assert password.encode() not in row.email_host_password_enc
    crypto = dj.env.runtime.crypto
    assert (
        crypto.decrypt(row.email_host_password_enc, purpose=SMTP_PASSWORD_PURPOSE)
        == password.encode()
    )
    await put(dj, alice, org, app, {"from_email": "a@example.com"})
    assert (await stored(dj, name)).email_host_password_enc == row.email_host_password_enc
    await dj.client.put(
        f"{API}/domains/{org}/{app}/", data={"email_host_password": ""}, headers=alice.auth
    )
    assert (await stored(dj, name)).email_host_password_enc is None


async def test_test_email_arrives_through_the_domains_smtp(dj: DjaoDjin, smtp: SmtpSink) -> None:
    alice, org, app, _ = await setup(
        dj,
        domain=(name := host()),
        email_host=smtp.host,
        email_port=smtp.port,
        from_email="noreply@example.com",
    )
    response = await dj.client.post(f"{API}/domains/{org}/{app}/test-email/", headers=alice.auth)
    assert response.status_code == 201, response.text
    assert response.json() == {"detail": f"Test email sent to {alice.email}"}
    [received] = smtp.to(alice.email)
    assert received.sender == "noreply@example.com"
    assert received.message["Subject"] == f"Test e-mail from https://{name}/"
    assert received.message["To"] == alice.email


async def test_the_mail_goes_to_the_address_that_was_checked(
    dj: DjaoDjin, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The host is resolved once: a second answer (DNS rebinding) is never used."""
    import socket

    from genie import mail

    answers = iter([smtp.host, "203.0.113.9"])  # then a different (unroutable) address
    real = socket.getaddrinfo

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "mail.rebinding.test":
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(mail.socket, "getaddrinfo", resolve)
    alice, org, app, _ = await setup(dj, email_host="mail.rebinding.test", email_port=smtp.port)
    response = await dj.client.post(f"{API}/domains/{org}/{app}/test-email/", headers=alice.auth)
    assert response.status_code == 201, response.text
    assert smtp.to(alice.email)


async def test_the_sender_falls_back_to_the_smtp_user_then_the_platform(
    dj: DjaoDjin, smtp: SmtpSink
) -> None:
    alice, org, app, _ = await setup(
        dj, email_host=smtp.host, email_port=smtp.port, email_host_user="mailer@example.com"
    )
    await dj.client.post(f"{API}/domains/{org}/{app}/test-email/", headers=alice.auth)
    assert smtp.to(alice.email)[-1].sender == "mailer@example.com"
    await put(dj, alice, org, app, {"email_host_user": "mailer"})
    await dj.client.post(f"{API}/domains/{org}/{app}/test-email/", headers=alice.auth)
    assert smtp.to(alice.email)[-1].sender == "noreply@djaoapp.com"


async def test_an_smtp_failure_is_a_400_with_the_reason(dj: DjaoDjin, smtp: SmtpSink) -> None:
    alice, org, app, _ = await setup(dj, email_host="127.0.0.1", email_port=free_port())
    url = f"{API}/domains/{org}/{app}/test-email/"
    refused = await dj.client.post(url, headers=alice.auth)
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Could not send test email: ")
    assert "refused" in refused.json()["detail"].lower()

    password = SCAN.secret(f"pw-{secrets.token_urlsafe(12)}")
    await put(
        dj,
        alice,
        org,
        app,
        {"email_port": smtp.port, "email_host_user": "u", "email_host_password": password},
    )
    cleartext = await dj.client.post(url, headers=alice.auth)
    assert cleartext.json() == {
        "detail": "Could not send test email: the server does not offer STARTTLS, and the "
        "password is never sent unencrypted (use port 465 for TLS from the start)"
    }

    await put(dj, alice, org, app, {"email_host_password": None})
    async with dj.env.runtime.sessions() as session, session.begin():
        await session.execute(
            update(User)
            .where(User.id == alice.account.user.id)
            .values(email=f"{REFUSED}-{secrets.token_hex(4)}@example.com")
        )
    rejected = await dj.client.post(url, headers=alice.auth)
    assert rejected.status_code == 400
    assert rejected.json()["detail"].startswith("Could not send test email:")
    assert "550" in rejected.json()["detail"]


async def test_private_smtp_hosts_are_refused_by_default(
    pg: Env, dj: DjaoDjin, smtp: SmtpSink
) -> None:
    alice, org, app, _ = await setup(dj, email_host=smtp.host, email_port=smtp.port)
    response = await pg.client.post(f"{API}/domains/{org}/{app}/test-email/", headers=alice.auth)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Could not send test email: 127.0.0.1 resolves to a private or reserved address"
    }


async def test_without_smtp_settings_the_platform_server_is_used(
    pg: Env, dj: DjaoDjin, smtp: SmtpSink
) -> None:
    alice, org, app, _ = await setup(dj)
    response = await dj.client.post(f"{API}/domains/{org}/{app}/test-email/", headers=alice.auth)
    assert response.json() == {
        "detail": "Could not send test email: the domain has no email_host, and the platform "
        "has no mail server."
    }
    settings = Settings(
        database_url=pg.runtime.settings.database_url,
        data_dir=pg.data_dir,
        validate_responses=True,
        allow_private_urls=True,
        smtp_url=f"smtp://{smtp.host}:{smtp.port}",
        default_from_email="platform@example.com",
    )
    async with app_client(settings) as (client, _):
        sent = await client.post(f"{API}/domains/{org}/{app}/test-email/", headers=alice.auth)
    assert sent.status_code == 201
    assert smtp.to(alice.email)[-1].sender == "platform@example.com"
