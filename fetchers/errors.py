"""Fetch and parse failures. Every error names the feed, file or URL it is about, in one line."""


class FetchError(Exception):
    """Base of fetcher errors."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ParseError(FetchError):
    """The bytes are not a feed or article we can read."""


class RetrieveError(FetchError):
    """The source could not be retrieved (network, HTTP status, size limit, timeout)."""

    def __init__(self, source: str, reason: str, *, status: int | None = None, transient: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(source, reason)
        self.status = status
        self.transient = transient
        self.retry_after = retry_after
