"""A fake OpenAI-compatible chat-completions server on the loopback interface, for the tests of
the optional language model."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FakeReply:
    content: str | None = None
    """The assistant message; None sends `raw_body` instead."""
    status: int = 200
    delay: float = 0.0
    raw_body: bytes = b""


@dataclass
class FakeChatServer:
    """Answers every POST with `reply`; keeps each request's path, headers and JSON body."""

    reply: FakeReply = field(default_factory=FakeReply)
    requests: list[dict] = field(default_factory=list)

    def __enter__(self) -> FakeChatServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                reply = fake.reply
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.content is not None:
                    payload = json.dumps(
                        {
                            "id": "fake",
                            "object": "chat.completion",
                            "model": body.get("model"),
                            "choices": [
                                {
                                    "index": 0,
                                    "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": reply.content},
                                }
                            ],
                        }
                    ).encode()
                else:
                    payload = reply.raw_body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"
