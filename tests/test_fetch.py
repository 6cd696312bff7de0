"""Fetching a web page: only public addresses (checked after DNS and at each redirect, connected
to as checked), bounded redirects, time and size; a loopback server reached only by the setting
that allows it. And `studybot ingest URL` from end to end."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.errors import InputFileError
from bot.store import Store
from bot.texts import fetch
from bot.texts.fetch import FetchPolicy
from tests.documents import article_html, article_pdf
from tests.helpers import studybot_process as studybot

LOOPBACK = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), timeout=5.0)


class Site(BaseHTTPRequestHandler):
    """A small web site on loopback; every answer is bounded."""

    requests: list[tuple[str, str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        Site.requests.append((self.path, self.headers.get("Host", ""), self.headers.get("User-Agent", "")))
        port = self.server.server_address[1]
        routes = {
            "/essays/on-the-commune": (200, "text/html; charset=utf-8", article_html()),
            "/paper.pdf": (200, "application/pdf", article_pdf()),
            "/picture.png": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/missing": (404, "text/html", b"<p>Not here.</p>"),
        }
        if self.path in routes:
            status, kind, body = routes[self.path]
            self._send(status, {"Content-Type": kind}, body)
        elif self.path == "/moved":
            self._send(302, {"Location": "/essays/on-the-commune"}, b"")
        elif self.path.startswith("/loop"):
            self._send(302, {"Location": f"/loop{len(self.path)}"}, b"")
        elif self.path == "/to-another-loopback":
            self._send(302, {"Location": f"http://127.0.0.2:{port}/essays/on-the-commune"}, b"")
        elif self.path == "/to-metadata":
            self._send(302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
        elif self.path == "/declared-huge":
            self._send(200, {"Content-Type": "text/html", "Content-Length": str(10**9)}, b"")
        elif self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(64):  # 64 x 64 KiB with no length declared: more than the test's 1 MB cap
                self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
        elif self.path == "/gzipped":
            self._send(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip.compress(article_html()))
        elif self.path == "/gzip-bomb":
            self._send(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip.compress(b" " * 50_000_000))
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, {"Content-Type": "text/html"}, article_html())
        else:
            self._send(404, {"Content-Type": "text/plain"}, b"no such page")

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that stops reading (the size tests) is expected here


@pytest.fixture(scope="module")
def site():
    server = QuietServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_web_page_becomes_a_text_through_studybot_ingest(site, tmp_path):
    url = f"{site}/essays/on-the-commune"
    result = studybot("ingest", url, db=tmp_path / "web.db", env_extra={"STUDYBOT_FETCH_ALLOW_HOSTS": "127.0.0.1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added      on-the-commune:")
    store = Store(tmp_path / "web.db")
    [text] = store.texts()
    assert (text.meta.title, text.meta.author, text.meta.source) == ("On the Commune", "Jane Roe", url)
    body = "\n".join(p.body for p in store.passages_of(text.id))
    assert "seventy-two days" in body and "NAV-" not in body and "ADVERT-TEXT" not in body
    assert any(agent.startswith("studybot/") for _, _, agent in Site.requests)
    again = studybot("ingest", url, db=tmp_path / "web.db", env_extra={"STUDYBOT_FETCH_ALLOW_HOSTS": "127.0.0.1"})
    assert again.stdout.startswith("unchanged  on-the-commune:")
    store.close()


def test_without_the_setting_a_loopback_page_is_refused_and_nothing_is_stored(site, tmp_path):
    result = studybot("ingest", f"{site}/essays/on-the-commune", db=tmp_path / "web.db")
    assert result.returncode == 1
    assert "127.0.0.1 is not a public address, so studybot will not fetch it." in result.stderr
    assert "Traceback" not in result.stderr
    store = Store(tmp_path / "web.db")
    assert store.texts() == []
    store.close()


def test_a_pdf_by_url_is_read_as_a_pdf(site):
    from bot.texts.sources import read_url

    source = read_url(f"{site}/paper.pdf", None, LOOPBACK)
    assert source.meta.title == "Councils and Parties in 1917" and source.slug == "paper"


def test_redirects_are_followed_and_each_hop_is_checked(site):
    assert fetch.fetch(f"{site}/moved", LOOPBACK).url.endswith("/essays/on-the-commune")
    with pytest.raises(InputFileError, match="127.0.0.2 is not a public address"):
        fetch.fetch(f"{site}/to-another-loopback", LOOPBACK)
    with pytest.raises(InputFileError, match="169.254.169.254 is not a public address"):
        fetch.fetch(f"{site}/to-metadata", LOOPBACK)
    with pytest.raises(InputFileError, match="redirects more than 5 times"):
        fetch.fetch(f"{site}/loop", LOOPBACK)


@pytest.mark.parametrize(
    "path, message",
    [
        ("/missing", "answered 404 Not Found"),
        ("/declared-huge", "larger than 1 MB"),
        ("/endless", "larger than 1 MB"),
        ("/gzip-bomb", "larger than 1 MB"),
        ("/slow", "did not answer within 1 s"),
    ],
)
def test_size_time_and_status_are_bounded(site, path, message):
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), max_bytes=1024 * 1024, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(InputFileError, match=message):
        fetch.fetch(site + path, policy)
    assert time.monotonic() - started < 3


def test_a_compressed_answer_is_unpacked(site):
    assert fetch.fetch(f"{site}/gzipped", LOOPBACK).data == article_html()


def test_a_picture_is_not_a_text(site, tmp_path, empty_store):
    from bot import texts

    [outcome] = texts.ingest(empty_store, [f"{site}/picture.png"], policy=LOOPBACK)
    assert outcome.status == "failed" and "image/png, not a web page, PDF or EPUB" in outcome.message
    assert empty_store.texts() == []


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.org/book.epub", "fetches only http:// and https:// pages"),
        ("file:///etc/passwd", "fetches only http:// and https:// pages"),
        ("http://[::1]/", "is not a public address"),
        ("http://localhost/", "is not a public address (it points to"),
        ("http:///nohost", "names no host"),
    ],
)
def test_addresses_that_are_not_public_web_pages_are_refused_before_connecting(url, message):
    with pytest.raises(InputFileError, match=message.replace("(", r"\(").replace("/", "/")):
        fetch.fetch(url, FetchPolicy(timeout=2.0))


def test_the_connection_goes_to_the_address_that_was_checked(site):
    """DNS rebinding: a name that answers a loopback address when checked and a private one
    afterwards. The fetcher resolves once per hop and connects to what it checked."""
    port = int(site.rsplit(":", 1)[1])
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    lookups: list[str] = []

    def rebinding(host, port_, family=0, kind=0):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port_))]

    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), timeout=5.0)
    fetched = fetch.fetch(f"http://studybot.test:{port}/essays/on-the-commune", policy, resolve=rebinding)
    assert fetched.data == article_html()
    assert lookups == ["studybot.test"]
    assert Site.requests[-1][1] == f"studybot.test:{port}"  # the Host header names the host, not the address


def test_one_private_answer_among_public_ones_refuses_the_host():
    def mixed(host, port, family=0, kind=0):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.10", port)),
        ]

    with pytest.raises(InputFileError, match="points to 192.168.1.10"):
        fetch.fetch("https://example.org/page", FetchPolicy(timeout=2.0), resolve=mixed)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.100.100.200",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.1",
        "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1", "2001:db8::1",
    ],
)  # fmt: skip
def test_addresses_that_are_not_public(address):
    assert not fetch.public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses(address):
    assert fetch.public(ipaddress.ip_address(address))
