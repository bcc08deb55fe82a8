"""One error hierarchy for storage; sqlite3 errors never escape db/ unwrapped."""


class StorageError(Exception):
    """Base of every storage failure; the message is one line naming the database file."""


class SchemaTooNew(StorageError):
    """The database was written by a newer wiredesk; we refuse rather than guess."""


class NotFound(StorageError, LookupError):
    """No row with that id."""


class AlreadyStored(StorageError):
    """Another writer stored some of a batch's items (same feed, same guid) after the batch was
    planned from what was known: nothing of the batch was written. Read what is known again and
    store the rest (two fetches of one feed at once: the app's `r` while `fetch --watch` runs)."""
