"""Fetch one web page an organiser asked for, safely.

Only http and https; only public addresses (no loopback, private, link-local, multicast, reserved
or cloud-metadata addresses), checked after DNS resolution and again at every redirect; the
connection goes to the address that was checked, so a DNS answer that changes between the check
and the connection (rebinding) cannot swap it. Redirects, time and size are limited, compressed
answers are unpacked within the size limit, and the request says who is asking.

Tests point it at a loopback server through `FetchPolicy.allow_hosts` (the setting
STUDYBOT_FETCH_ALLOW_HOSTS), never through a code path of its own.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bot.errors import InputFileError

USER_AGENT = "studybot/0.1 (a reading-group bot, fetching one page an organiser asked for)"
ACCEPT = "text/html,application/xhtml+xml,application/pdf,application/epub+zip;q=0.9,text/plain;q=0.5,*/*;q=0.1"
METADATA = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
}
"""Cloud metadata services (AWS, ECS, Alibaba, Oracle, AWS IPv6): never public, named for clarity."""
REDIRECTS = {301, 302, 303, 307, 308}

Resolver = Callable[..., list]


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int = 20 * 1024 * 1024
    """A page, PDF or EPUB larger than this is refused (Discord's own attachment limit is 25 MB)."""
    max_redirects: int = 5
    timeout: float = 30.0
    """Seconds for the whole fetch: resolving, connecting, every redirect and the body."""
    allow_hosts: frozenset[str] = field(default_factory=frozenset)
    """Host names or addresses fetched even though they are not public. Empty in production;
    tests set STUDYBOT_FETCH_ALLOW_HOSTS=127.0.0.1 to reach their loopback server."""
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    url: str
    """Where the body came from, after redirects."""
    content_type: str
    charset: str | None
    data: bytes


def is_url(text: str) -> bool:
    """Does `text` look like a web address rather than a file name? (Any scheme: a `file:` or
    `ftp:` address is refused by `fetch` with a sentence, not looked for on disk.)"""
    scheme = urlsplit(text).scheme
    return len(scheme) > 1 and "://" in text


def fetch(url: str, policy: FetchPolicy = FetchPolicy(), resolve: Resolver = socket.getaddrinfo) -> Fetched:
    """GET `url`, following redirects within the policy. Any failure is one sentence."""
    deadline = time.monotonic() + policy.timeout
    for _hop in range(policy.max_redirects + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise InputFileError(
                f"{_short(url)} is not a web address; studybot fetches only http:// and https:// pages."
            )
        if not parts.hostname:
            raise InputFileError(f"{_short(url)} names no host; give the whole address, as https://example.org/page.")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise InputFileError(f"{_short(url)} has an invalid port; check the address.") from None
        addresses = _addresses(parts.hostname, port, policy, resolve, deadline)
        connection, response = _request(parts, addresses, policy, deadline)
        try:
            if response.status in REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            if response.status != 200:
                raise InputFileError(
                    f"{parts.hostname} answered {response.status} {response.reason} for {_short(url)}; check the address."
                )
            data = _body(connection, response, policy, deadline, url)
            content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            charset = response.headers.get_content_charset()
            return Fetched(url=url, content_type=content_type, charset=charset, data=data)
        finally:
            connection.close()
    raise InputFileError(f"{_short(url)} redirects more than {policy.max_redirects} times; give the final address.")


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "..."


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Is this an address on the public internet (not loopback, private, link-local, multicast,
    reserved, shared, documentation or metadata)? IPv6 forms that carry an IPv4 address are
    judged by the address they carry."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return public(address.ipv4_mapped)
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is None and address in ipaddress.ip_network("64:ff9b::/96"):  # NAT64
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not public(embedded):
            return False
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_link_local
        and not address.is_loopback
        and not address.is_private
        and address not in METADATA
    )


def _addresses(host: str, port: int, policy: FetchPolicy, resolve: Resolver, deadline: float) -> list[str]:
    """The host's addresses, every one of them checked: one private answer refuses the host."""
    remaining = deadline - time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)  # getaddrinfo has no timeout of its own
    try:
        answers = pool.submit(resolve, host, port, 0, socket.SOCK_STREAM).result(timeout=max(remaining, 0.001))
    except concurrent.futures.TimeoutError:
        raise InputFileError(f"{host} could not be looked up within {policy.timeout:.0f} s; try again later.") from None
    except (socket.gaierror, UnicodeError, OSError):
        raise InputFileError(f"{host} is not a host name that exists; check the address.") from None
    finally:
        pool.shutdown(wait=False)
    addresses = []
    for family, _type, _proto, _name, sockaddr in answers:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        allowed = host.lower() in policy.allow_hosts or str(address) in policy.allow_hosts
        if not allowed and not public(address):
            where = "" if host.strip("[]") == str(address) else f" (it points to {address})"
            raise InputFileError(f"{host} is not a public address{where}, so studybot will not fetch it.")
        addresses.append(str(address))
    if not addresses:
        raise InputFileError(f"{host} has no address studybot can reach; check the address.")
    return addresses


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a given address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a given address; the certificate is checked against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _request(parts, addresses: list[str], policy: FetchPolicy, deadline: float):
    """Send the GET to the first checked address that answers."""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    failure: str = "could not be reached"
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        connection = kind(host, port, address, timeout=remaining)
        try:
            connection.request(
                "GET",
                target,
                headers={"User-Agent": policy.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, identity"},
            )
            return connection, connection.getresponse()
        except ssl.SSLCertVerificationError:
            connection.close()
            raise InputFileError(
                f"{host} presented a certificate that is not valid for it; studybot will not fetch it."
            ) from None
        except TimeoutError:
            failure = f"did not answer within {policy.timeout:.0f} s"
        except (OSError, http.client.HTTPException) as error:
            failure = f"could not be reached ({type(error).__name__})"
        connection.close()
    raise InputFileError(f"{host} {failure}; check the address or try again later.")


def _body(
    connection: http.client.HTTPConnection,
    response: http.client.HTTPResponse,
    policy: FetchPolicy,
    deadline: float,
    url: str,
) -> bytes:
    """The body, no larger than `max_bytes` once unpacked, read before the deadline."""
    too_big = InputFileError(
        f"{_short(url)} is larger than {policy.max_bytes // 2**20} MB; save the text you need as a file."
    )
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise too_big
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise InputFileError(f"{_short(url)} came in an encoding studybot does not read ({encoding}).")
    unpack = zlib.decompressobj(wbits=47) if encoding != "identity" else None  # gzip or zlib header
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise InputFileError(f"{_short(url)} took more than {policy.timeout:.0f} s to download; try again later.")
        if connection.sock is not None:
            connection.sock.settimeout(remaining)  # each read waits no longer than the time left
        try:
            chunk = response.read(64 * 1024)
        except TimeoutError:
            raise InputFileError(
                f"{_short(url)} took more than {policy.timeout:.0f} s to download; try again later."
            ) from None
        except (OSError, http.client.HTTPException) as error:
            raise InputFileError(
                f"{_short(url)} broke off while downloading ({type(error).__name__}); try again."
            ) from None
        if not chunk:
            break
        if unpack is not None:
            try:
                chunk = unpack.decompress(chunk, policy.max_bytes - size + 1)
            except zlib.error:
                raise InputFileError(f"{_short(url)} came compressed but damaged; try again.") from None
        size += len(chunk)
        if size > policy.max_bytes:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)
