"""A real HTTP server on 127.0.0.1 for tests: routes are plain functions, every request is recorded."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
import socket
import sys
import struct
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the headers
    stall_after: int | None = None  # send this many body bytes, then hang
    stall_for: float = 0.0
    reason: str | None = None  # the status line's reason phrase, as sent
    reset_after: int | None = None  # send this many body bytes, then reset the connection (RST)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    client: tuple = ()  # the client's (address, port): one per connection


Route = Callable[[Seen], Reply]


class Loopback:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                seen = Seen("GET", self.path, {k.lower(): v for k, v in self.headers.items()}, tuple(self.client_address))
                owner.requests.append(seen)
                route = owner.routes.get(self.path.split("?")[0])
                reply = route(seen) if route else Reply(404, b"not found")
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status, reply.reason)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.reset_after is not None:
                        self.wfile.write(reply.body[: reply.reset_after])
                        self.wfile.flush()
                        # SO_LINGER 0: close() sends RST instead of FIN, as a crashed peer would.
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        self.connection.close()
                        self.close_connection = True
                        return
                    if reply.stall_after is not None:
                        self.wfile.write(reply.body[: reply.stall_after])
                        self.wfile.flush()
                        time.sleep(reply.stall_for)
                        return
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                # Clients that hang up (timeouts, TLS spoken to plain HTTP) are expected here.
                if not isinstance(sys.exc_info()[1], (ConnectionError, OSError)):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, route: Route | Reply) -> None:
        self.routes[path] = route if callable(route) else (lambda seen, r=route: r)

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path.split("?")[0] == path]

    def __enter__(self) -> Loopback:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def conditional(body: bytes, etag: str, last_modified: str, content_type: str = "application/rss+xml") -> Route:
    """A route that answers 304 when the client sends back the validators it was given."""

    def route(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == etag or seen.headers.get("if-modified-since") == last_modified:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, {"ETag": etag, "Last-Modified": last_modified, "Content-Type": content_type})

    return route
