"""The HTTP fetcher against a real loopback server: validators, 304s, redirects, errors, limits."""

from __future__ import annotations

import asyncio
import gzip
import socket
import zlib
from datetime import datetime, timedelta, timezone

import brotli
import httpcore
import pytest

from fetchers import FeedRequest, HttpSettings, fetch_all, max_age, next_due, retry_after
from tests.loopback import Reply, conditional

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Wire</title>
<item><guid>a1</guid><title>Shelling reported near Morek</title><description>Text.</description></item>
</channel></rss>"""

FAST = HttpSettings(timeout=2, deadline=10, retries=1, backoff=0.01)


def fetch(requests, settings=FAST):
    async def go():
        return [r async for r in fetch_all(requests, settings)]

    return {r.request.url: r for r in asyncio.run(go())}


def test_conditional_get_sends_validators_and_understands_304(server):
    server.route("/feed", conditional(RSS, '"v1"', "Fri, 20 Nov 2026 10:00:00 GMT"))
    first = fetch([FeedRequest(server.url("/feed"))])[server.url("/feed")]
    assert first.status == 200 and first.content == RSS
    assert first.etag == '"v1"' and first.last_modified == "Fri, 20 Nov 2026 10:00:00 GMT"
    second = fetch([FeedRequest(server.url("/feed"), first.etag, first.last_modified)])[server.url("/feed")]
    assert second.not_modified and second.status == 304 and second.content is None
    sent = server.hits("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Fri, 20 Nov 2026 10:00:00 GMT"
    assert "if-none-match" not in server.hits("/feed")[0].headers


def test_permanent_redirect_reports_new_url_temporary_does_not(server):
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/tmp", Reply(302, headers={"Location": "/new"}))
    server.route("/new", Reply(200, RSS))
    got = fetch([FeedRequest(server.url("/old")), FeedRequest(server.url("/tmp"))])
    assert got[server.url("/old")].permanent_url == server.url("/new")
    assert got[server.url("/old")].content == RSS
    assert got[server.url("/tmp")].permanent_url is None
    assert got[server.url("/tmp")].content == RSS


def test_redirect_loop_and_non_http_redirect_are_errors(server):
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    server.route("/evil", Reply(302, headers={"Location": "file:///etc/passwd"}))
    got = fetch([FeedRequest(server.url("/loop")), FeedRequest(server.url("/evil"))])
    assert "redirects" in got[server.url("/loop")].error.reason
    assert "non-HTTP" in got[server.url("/evil")].error.reason
    assert len(server.hits("/loop")) == FAST.max_redirects + 1


def test_a_url_of_another_scheme_is_refused_as_such_not_as_a_redirect():
    got = fetch([FeedRequest("gopher://example.org/feed")])["gopher://example.org/feed"]
    assert got.error.reason == "not an http(s) URL (scheme 'gopher')"


def test_server_error_is_retried_then_reported(server):
    calls = []

    def flaky(seen):
        calls.append(seen)
        return Reply(500, b"oops") if len(calls) == 1 else Reply(200, RSS)

    server.route("/flaky", flaky)
    server.route("/down", Reply(503, b"down"))
    got = fetch([FeedRequest(server.url("/flaky")), FeedRequest(server.url("/down"))])
    assert got[server.url("/flaky")].content == RSS and len(calls) == 2
    down = got[server.url("/down")]
    assert down.error is not None and down.error.status == 503 and "503" in down.error.reason
    assert len(server.hits("/down")) == FAST.retries + 1


def test_client_error_is_not_retried(server):
    server.route("/gone", Reply(404, b"no"))
    got = fetch([FeedRequest(server.url("/gone"))])[server.url("/gone")]
    assert got.error.status == 404
    assert len(server.hits("/gone")) == 1


def test_slow_server_times_out_without_blocking_others(server):
    server.route("/slow", Reply(200, RSS, delay=3))
    server.route("/fast", Reply(200, RSS))
    settings = HttpSettings(timeout=0.5, deadline=10, retries=0)
    got = fetch([FeedRequest(server.url("/slow")), FeedRequest(server.url("/fast"))], settings)
    assert "timed out" in got[server.url("/slow")].error.reason
    assert got[server.url("/fast")].content == RSS


def test_total_deadline_turns_stragglers_into_errors(server):
    server.route("/stall", Reply(200, RSS * 10, stall_after=10, stall_for=5))
    settings = HttpSettings(timeout=4, deadline=0.5, retries=0)
    got = fetch([FeedRequest(server.url("/stall"))], settings)[server.url("/stall")]
    assert "deadline" in got.error.reason


@pytest.mark.parametrize(
    "encoding,compress",
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress)],
)
def test_compressed_bodies_are_decoded(server, encoding, compress):
    server.route("/c", Reply(200, compress(RSS), {"Content-Encoding": encoding}))
    got = fetch([FeedRequest(server.url("/c"))])[server.url("/c")]
    assert got.content == RSS
    assert "gzip" in server.hits("/c")[0].headers["accept-encoding"]


@pytest.mark.parametrize("encoding,compress", [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compression_bomb_stops_at_the_size_limit(server, encoding, compress):
    bomb = compress(b"\0" * (50 * 1024 * 1024))
    server.route("/bomb", Reply(200, bomb, {"Content-Encoding": encoding}))
    settings = HttpSettings(timeout=5, deadline=20, retries=0, max_bytes=1024 * 1024)
    got = fetch([FeedRequest(server.url("/bomb"))], settings)[server.url("/bomb")]
    assert got.error is not None and "limit" in got.error.reason


def test_plain_oversized_body_is_refused(server):
    server.route("/big", Reply(200, b"x" * 300_000))
    settings = HttpSettings(timeout=5, deadline=20, retries=0, max_bytes=100_000)
    got = fetch([FeedRequest(server.url("/big"))], settings)[server.url("/big")]
    assert "limit" in got.error.reason


def test_concurrency_is_bounded(server):
    import threading

    active, peak, lock = [0], [0], threading.Lock()

    def counted(seen):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        import time

        time.sleep(0.1)
        with lock:
            active[0] -= 1
        return Reply(200, RSS)

    for i in range(12):
        server.route(f"/f{i}", counted)
    settings = HttpSettings(timeout=5, deadline=20, concurrency=3)
    got = fetch([FeedRequest(server.url(f"/f{i}")) for i in range(12)], settings)
    assert all(r.content == RSS for r in got.values())
    assert peak[0] <= 3


def test_connections_per_host_are_bounded_and_other_hosts_still_run():
    import threading
    import time

    from tests.loopback import Loopback

    lock = threading.Lock()
    active = {"a": 0, "b": 0, "all": 0}
    peak = dict(active)

    def counted(host):
        def route(seen):
            with lock:
                for key in (host, "all"):
                    active[key] += 1
                    peak[key] = max(peak[key], active[key])
            time.sleep(0.2)
            with lock:
                for key in (host, "all"):
                    active[key] -= 1
            return Reply(200, RSS)

        return route

    with Loopback() as a, Loopback() as b:
        for name, srv in (("a", a), ("b", b)):
            for i in range(6):
                srv.route(f"/f{i}", counted(name))
        urls = [srv.url(f"/f{i}") for i in range(6) for srv in (a, b)]
        got = fetch([FeedRequest(u) for u in urls], HttpSettings(timeout=5, deadline=30, concurrency=8, per_host=2))
    assert all(r.content == RSS for r in got.values()) and len(got) == 12
    assert peak["a"] <= 2 and peak["b"] <= 2
    assert peak["all"] >= 3  # the limit is per host: both hosts were fetched at once


def test_connections_to_one_host_are_kept_alive_and_reused(server):
    for i in range(20):
        server.route(f"/k{i}", Reply(304, headers={"ETag": '"x"'}))
    got = fetch([FeedRequest(server.url(f"/k{i}"), etag='"x"') for i in range(20)],
                HttpSettings(timeout=5, deadline=30, concurrency=16, per_host=2))
    assert all(r.not_modified for r in got.values())
    connections = {seen.client for seen in server.requests}
    assert len(server.requests) == 20 and len(connections) <= 2


def test_user_agent_is_sent(server):
    server.route("/ua", Reply(200, RSS))
    fetch([FeedRequest(server.url("/ua"))], HttpSettings(user_agent="desk-test/1"))
    assert server.hits("/ua")[0].headers["user-agent"] == "desk-test/1"


def test_connection_refused_is_a_transient_error():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    url = f"http://127.0.0.1:{port}/feed"
    got = fetch([FeedRequest(url)], HttpSettings(timeout=1, retries=0))[url]
    assert got.error.transient and "network error" in got.error.reason


def test_retry_after_and_max_age_parsing():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    assert retry_after({"retry-after": "120"}) == 120
    assert retry_after({"retry-after": "Fri, 20 Nov 2026 12:05:00 GMT"}, now) == 300
    assert retry_after({"retry-after": "soon"}) is None
    assert max_age({"cache-control": "public, max-age=600"}) == 600
    assert max_age({"cache-control": "no-cache"}) is None


def test_next_due_backs_off_and_honours_server_hints():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    assert next_due(now, 300) == now + timedelta(seconds=300)
    assert next_due(now, 300, failures=1) == now + timedelta(seconds=600)
    assert next_due(now, 300, failures=3) == now + timedelta(seconds=2400)
    assert next_due(now, 300, failures=50) == now + timedelta(hours=6)
    assert next_due(now, 300, max_age_s=900) == now + timedelta(seconds=900)
    assert next_due(now, 300, retry_after_s=3600) == now + timedelta(seconds=3600)


def test_the_same_request_twice_is_answered_twice(server):
    server.route("/twice", Reply(200, RSS))
    request = FeedRequest(server.url("/twice"))

    async def go():
        return [r async for r in fetch_all([request, request], FAST)]

    got = asyncio.run(go())
    assert [r.content for r in got] == [RSS, RSS]


def test_a_cancel_that_lands_with_a_result_still_cancels(monkeypatch):
    """ctrl+c during a fetch cycle cancels the cycle's task; when the cancel arrives in the same
    loop turn as a finished fetch, it must not be swallowed (asyncio.wait_for on 3.11 returned the
    result instead, and `fetch --watch` went on polling after ctrl+c)."""
    from fetchers import Retrieved, _http

    async def main() -> str:
        loop = asyncio.get_running_loop()
        consumer: asyncio.Task | None = None

        async def answered(client, request, settings):
            if request.url.endswith("/slow.xml"):
                await asyncio.Event().wait()  # still in flight when ctrl+c comes
            # Cancel two loop turns later: after the finished fetch is handed over, before the
            # consumer has run again.
            loop.call_soon(lambda: loop.call_soon(consumer.cancel))
            return Retrieved(request, status=304, not_modified=True)

        monkeypatch.setattr(_http, "fetch_one", answered)
        requests = [FeedRequest("http://127.0.0.1:9/a.xml"), FeedRequest("http://127.0.0.1:9/slow.xml")]

        async def consume() -> list:
            return [got async for got in fetch_all(requests, HttpSettings(deadline=2))]

        consumer = asyncio.ensure_future(consume())
        try:
            await consumer
        except asyncio.CancelledError:
            return "cancelled"
        return "completed"

    assert asyncio.run(main()) == "cancelled"


def test_an_idle_connection_reads_as_readable_once_its_peer_has_closed_it():
    """What httpcore asks of a kept-alive connection before reusing it (a readable idle socket means
    the server closed it), answered from the socket the stream looked up once."""
    from fetchers._http import _KnownSocket

    ours, theirs = socket.socketpair()

    class Connected(httpcore.AsyncNetworkStream):
        def get_extra_info(self, info: str):
            return ours if info == "socket" else None

    stream = _KnownSocket(Connected())
    assert stream.get_extra_info("socket") is ours
    assert stream.get_extra_info("is_readable") is False  # idle, open
    theirs.close()
    assert stream.get_extra_info("is_readable") is True  # the end of the stream is there to read
    ours.close()
    assert stream.get_extra_info("is_readable") is True  # gone: treated as ended


def test_a_304_to_a_request_without_validators_is_an_error(server):
    server.route("/cached", Reply(304, headers={"ETag": '"stale"'}))
    got = fetch([FeedRequest(server.url("/cached"))])[server.url("/cached")]
    assert not got.not_modified and got.etag is None
    assert got.error is not None and got.status == 304
    assert "304 Not Modified to a request without ETag or Last-Modified" in str(got.error)
    assert len(server.hits("/cached")) == 1  # not retried: not transient


def test_a_connection_reset_mid_body_is_said_in_words(server):
    server.route("/reset", Reply(200, RSS, reset_after=20))
    got = fetch([FeedRequest(server.url("/reset"))], HttpSettings(timeout=5, deadline=30, retries=0))[server.url("/reset")]
    assert got.error is not None
    assert str(got.error).endswith("network error: the connection broke while reading the response (ReadError)")
