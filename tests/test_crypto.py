from __future__ import annotations

import stat
from pathlib import Path

import pytest

from genie.crypto import Crypto, DecryptionError, load_or_create_key_file
from genie.settings import Settings, SettingsError

KEY = b"k" * 32


def test_encrypt_round_trip_and_fresh_nonce() -> None:
    crypto = Crypto(KEY)
    one = crypto.encrypt("hunter22", purpose="variable")
    two = crypto.encrypt("hunter22", purpose="variable")
    assert one != two
    assert b"hunter22" not in one
    assert crypto.decrypt(one, purpose="variable") == b"hunter22"


def test_purpose_and_key_separate_values() -> None:
    crypto = Crypto(KEY)
    blob = crypto.encrypt(b"secret", purpose="a")
    with pytest.raises(DecryptionError):
        crypto.decrypt(blob, purpose="b")
    with pytest.raises(DecryptionError):
        Crypto(b"x" * 32).decrypt(blob, purpose="a")
    assert crypto.mac("v", purpose="a") != crypto.mac("v", purpose="b")


def test_tampering_is_detected() -> None:
    crypto = Crypto(KEY)
    blob = bytearray(crypto.encrypt(b"secret", purpose="a"))
    blob[-1] ^= 1
    with pytest.raises(DecryptionError):
        crypto.decrypt(bytes(blob), purpose="a")
    with pytest.raises(DecryptionError):
        crypto.decrypt(b"short", purpose="a")


def test_mac_matches_in_constant_time_api() -> None:
    crypto = Crypto(KEY)
    digest = crypto.mac("public.secret", purpose="api-key")
    assert len(digest) == 32
    assert crypto.mac_matches("public.secret", digest, purpose="api-key")
    assert not crypto.mac_matches("public.secreT", digest, purpose="api-key")


def test_short_key_is_refused() -> None:
    with pytest.raises(SettingsError):
        Crypto(b"short")


def test_key_file_is_generated_once_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = Crypto.from_settings(settings)
    key_file = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = Crypto.from_settings(settings)
    blob = first.encrypt("x", purpose="p")
    assert second.decrypt(blob, purpose="p") == b"x"
    assert list((tmp_path / "data").iterdir()) == [key_file]


def test_secret_key_setting_wins_and_is_not_in_repr(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="s" * 40)
    crypto = Crypto.from_settings(settings)
    assert not (tmp_path / "secret.key").exists()
    assert "s" * 40 not in repr(settings)
    assert "s" * 40 not in repr(crypto)
    assert Crypto(b"s" * 40).decrypt(crypto.encrypt("v", purpose="p"), purpose="p") == b"v"


def test_corrupt_key_file_is_a_settings_error(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("not hex")
    with pytest.raises(SettingsError):
        load_or_create_key_file(tmp_path / "secret.key")
