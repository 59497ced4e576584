"""Which address join links and QR codes carry: one that phones in the room can open."""

from __future__ import annotations

import pytest

from facilitator import public_url
from facilitator.public_url import PublicBase, public_base


@pytest.fixture
def on_a_venue_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_url, "lan_address", lambda: "192.168.1.23")


def test_the_configured_public_url_wins(on_a_venue_network: None) -> None:
    assert public_base("https://venue.example.org", "http://127.0.0.1:5000/", "0.0.0.0", 5000) == (
        PublicBase("https://venue.example.org/", True)
    )


def test_an_address_phones_can_open_is_kept(on_a_venue_network: None) -> None:
    for host_url in ("http://192.168.1.23:5000/", "http://laptop.local:5000/"):
        assert public_base(None, host_url, "0.0.0.0", 5000) == PublicBase(host_url, True)


@pytest.mark.parametrize("host_url", ["http://127.0.0.1:5000/", "http://localhost:5000/"])
def test_loopback_becomes_the_network_address_when_serving_everywhere(
    on_a_venue_network: None, host_url: str
) -> None:
    assert public_base(None, host_url, "0.0.0.0", 5000) == PublicBase(
        "http://192.168.1.23:5000/", True
    )


def test_loopback_alone_is_flagged_unreachable(on_a_venue_network: None) -> None:
    base = public_base(None, "http://127.0.0.1:5000/", "127.0.0.1", 5000)
    assert base == PublicBase("http://127.0.0.1:5000/", False)


def test_no_network_at_all_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_url, "lan_address", lambda: None)
    assert not public_base(None, "http://127.0.0.1:5000/", "0.0.0.0", 5000).reachable


def test_this_machine_has_a_network_address_that_is_not_loopback() -> None:
    address = public_url.lan_address()
    assert address is None or not address.startswith("127.")
