"""Fetch and parse failures. Every error names the feed, file or URL it is about, in one line."""

MAX_REASON = 500


class FetchError(Exception):
    """Base of fetcher errors."""

    def __init__(self, source: str, reason: str) -> None:
        # Reasons quote servers and files (reason phrases, parser messages): they are shown on a
        # terminal and stored as the feed's last error, so they get the same cleaning as feed text.
        from ._normalise import fold_line  # here, so that importing the errors stays light

        reason = fold_line(str(reason), MAX_REASON)
        super().__init__(f"{fold_line(str(source), MAX_REASON)}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):
        # Errors cross process boundaries (parse workers): rebuild from the constructor's arguments.
        return (type(self), (self.source, self.reason))


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

    def __reduce__(self):
        return (_retrieve_error, (self.source, self.reason, self.status, self.transient, self.retry_after))


def _retrieve_error(source, reason, status, transient, retry_after) -> RetrieveError:
    return RetrieveError(source, reason, status=status, transient=transient, retry_after=retry_after)
