"""One error hierarchy for storage; sqlite3 errors never escape db/ unwrapped."""


class StorageError(Exception):
    """Base of every storage failure; the message is one line naming the database file."""


class SchemaTooNew(StorageError):
    """The database was written by a newer wiredesk; we refuse rather than guess."""


class NotFound(StorageError, LookupError):
    """No row with that id."""
