"""The address phones use to reach the app: in join links, QR codes, handouts.

A moderator opens the app on the laptop as http://127.0.0.1:5000, but a phone in the
room cannot reach 127.0.0.1. In order: the configured public URL (a proxy, a public
deployment); the address the page was opened with, when it is not loopback (a phone
can use it too); the machine's address on the local network, when the server listens
on every interface; else loopback, which the console flags as unreachable.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

ALL_INTERFACES = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class PublicBase:
    url: str  # ends with "/"
    reachable: bool  # False: only this machine can open it


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: the network's to resolve


def lan_address() -> str | None:
    """The machine's IPv4 address on a local network (a private range first)."""
    import psutil

    up = {name for name, stats in psutil.net_if_stats().items() if stats.isup}
    found: list[ipaddress.IPv4Address] = []
    for name, addresses in psutil.net_if_addrs().items():
        if name not in up:
            continue
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.IPv4Address(address.address)
            if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
                found.append(ip)
    found.sort(key=lambda ip: (not ip.is_private, ip.packed))
    return str(found[0]) if found else None


def public_base(
    configured: str | None, host_url: str, serve_host: str | None, serve_port: int | None
) -> PublicBase:
    """`host_url`: the URL the request came in on (Flask's request.host_url)."""
    if configured:
        return PublicBase(configured.rstrip("/") + "/", True)
    parts = urlsplit(host_url)
    host = parts.hostname or ""
    if not _is_loopback(host):
        return PublicBase(host_url, True)
    if serve_host in ALL_INTERFACES:
        lan = lan_address()
        if lan is not None:
            port = serve_port or parts.port
            return PublicBase(f"{parts.scheme}://{lan}{f':{port}' if port else ''}/", True)
    return PublicBase(host_url, False)


def request_public_base() -> PublicBase:
    """For the current request: what to put in join links and QR codes."""
    from flask import current_app, request

    config = current_app.config
    return public_base(
        config.get("PUBLIC_URL"),
        request.host_url,
        config.get("SERVE_HOST"),
        config.get("SERVE_PORT"),
    )


def base_url() -> str:
    return request_public_base().url
