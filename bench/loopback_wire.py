"""Hundreds of feeds on a loopback HTTP server, with ETag/Last-Modified and 304s, for the fetch benchmark."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from bench.wire import report


def feed_bytes(index: int, items: int) -> bytes:
    import random

    rng = random.Random(index)
    when = format_datetime(datetime(2026, 11, 20, tzinfo=timezone.utc))
    entries = []
    for i in range(items):
        title, text = report(rng, 120)
        entries.append(f"<item><guid>f{index}-{i}</guid><title>{escape(title)}</title><link>https://f{index}.example/{i}</link>"
                       f"<pubDate>{when}</pubDate><description>{escape(text)}</description></item>")
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {index}</title><link>https://f{index}.example/</link>'
            f"<description>b</description>{''.join(entries)}</channel></rss>").encode()


@contextmanager
def serve_feeds(count: int, items: int = 10) -> Iterator[list[str]]:
    bodies = {f"/feed/{i}.xml": feed_bytes(i, items) for i in range(count)}
    last_modified = "Fri, 20 Nov 2026 10:00:00 GMT"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = f'"{hash(self.path) & 0xFFFFFF:x}"'
            if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == last_modified:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        # The listen backlog is fixed when the socket listens, in the constructor: set on the class.
        # With the default of 5, simultaneous connects beyond it wait out a 1 s SYN retransmit.
        request_queue_size = 256
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield [f"http://{host}:{port}{path}" for path in bodies]
    finally:
        server.shutdown()
        server.server_close()
