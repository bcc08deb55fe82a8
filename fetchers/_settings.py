"""HTTP settings: plain data, importable without the HTTP client (the CLI reads them from config)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_USER_AGENT = "wiredesk/0.1 (+newsroom desk; feed reader)"


@dataclass(frozen=True, slots=True)
class HttpSettings:
    timeout: float = 20.0  # per request: connect, read gaps, write
    deadline: float = 300.0  # a whole fetch cycle
    max_bytes: int = 16 * 1024 * 1024  # per response, counted after decompression
    concurrency: int = 16  # requests in flight at once
    per_host: int = 6  # of which at most this many to one origin (scheme, host, port)
    user_agent: str = DEFAULT_USER_AGENT
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5  # seconds; doubles per retry, with jitter
