"""Where a webhook may be posted: an https address on the internet. A
subscription's address is checked when it is made, and the address its host
resolves to is checked again at each delivery (and connected to directly,
so a name that changes its answer in between cannot point elsewhere): a
partner system cannot make the service post into its own network (SSRF).

With DEBUG on, or for a host in WEBHOOK_ALLOWED_HOSTS, http and private
addresses are allowed too (a developer's receiver, a test's 127.0.0.1)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 500


class Refused(Exception):
    """The address may not be posted to; the message says why."""


def _allowed_anyway(host: str) -> bool:
    allowed = {name.lower() for name in settings.WEBHOOK_ALLOWED_HOSTS}
    return bool(settings.DEBUG) or host.lower() in allowed


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def parse(url: str) -> SplitResult:
    """The address's parts, or ValidationError saying what to change."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Give the address to post events to, starting https://"))
    if len(url) > MAX_LENGTH:
        raise ValidationError(
            _("The address must be at most %(length)s characters") % {"length": MAX_LENGTH}
        )
    if any(ord(character) < 33 or ord(character) > 126 for character in url):
        raise ValidationError(_("The address must not contain spaces or other special characters"))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValidationError(_("The address is not a web address: check it")) from None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise ValidationError(_("The address must start https:// and name a host"))
    if parts.scheme == "http" and not _allowed_anyway(host):
        raise ValidationError(_("The address must start https://: events are sent encrypted"))
    if parts.username is not None or parts.password is not None:
        raise ValidationError(_("The address must not contain a user name or password"))
    if parts.fragment:
        raise ValidationError(_("The address must not contain a # fragment"))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    private = (
        not _public(str(literal))
        if literal is not None
        else host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    )
    if private and not _allowed_anyway(host):
        raise ValidationError(_("The address must be on the internet, not a private network's"))
    return parts


def resolve(host: str, port: int) -> str:
    """The address to connect to for `host`: refused (Refused) when it, or
    any address the host has, is private, loopback or otherwise not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"The host name could not be found ({type(error).__name__})") from None
    addresses = [str(entry[4][0]) for entry in found]
    if not addresses:
        raise Refused("The host name has no address")
    if not _allowed_anyway(host) and not all(_public(address) for address in addresses):
        raise Refused("The host's address is not on the internet: refused")
    return addresses[0]
