"""One exception root for newsmon.

Every error says what failed, on which item, and how to fix it. Errors are either
*transient* (a retry may succeed: network hiccups, a locked warehouse) or *permanent*
(retrying the same input cannot help: bad bytes, a malformed feed, bad settings).
Airflow tasks and the fetcher retry only transient errors.
"""

from __future__ import annotations


class NewsmonError(Exception):
    """Root of every error newsmon raises on purpose."""

    transient: bool = False
    reason_code: str = "error"

    def __init__(self, message: str, *, item: str | None = None, hint: str | None = None):
        self.message = message
        self.item = item
        self.hint = hint
        parts = [message]
        if item:
            parts.append(f"(item: {item})")
        if hint:
            parts.append(f"— {hint}")
        super().__init__(" ".join(parts))


class TransientError(NewsmonError):
    """A retry may succeed (network fault, lock held by another writer)."""

    transient = True
    reason_code = "transient"


class PermanentError(NewsmonError):
    """Retrying the same input cannot succeed."""

    reason_code = "permanent"


class ConfigError(PermanentError):
    """Settings or arguments are wrong; the operator must fix them."""

    reason_code = "config"


class InputError(PermanentError):
    """One input item is unusable (empty, binary, undecodable, malformed)."""

    def __init__(self, reason_code: str, message: str, *, item: str | None = None,
                 hint: str | None = None):
        super().__init__(message, item=item, hint=hint)
        self.reason_code = reason_code


class FetchError(NewsmonError):
    """An HTTP fetch failed; `transient` tells whether a retry makes sense."""

    retry_after: int | None = None  # seconds the server asked for (Retry-After), when it did

    def __init__(self, reason_code: str, message: str, *, transient: bool,
                 item: str | None = None, hint: str | None = None):
        super().__init__(message, item=item, hint=hint)
        self.reason_code = reason_code
        self.transient = transient


class WarehouseError(PermanentError):
    """The DuckDB warehouse cannot be opened or written (path, permissions, disk)."""

    reason_code = "warehouse"


class WarehouseLockedError(TransientError):
    """Another process holds the DuckDB write lock; wait and retry."""

    reason_code = "warehouse_locked"


class StagingError(PermanentError):
    """A file one step staged for the next is missing or unreadable: the run stops, loading nothing."""

    reason_code = "staging"


class QualityError(PermanentError):
    """A critical data-quality expectation failed after a load."""

    reason_code = "quality_critical"


# Not one item's fault: the operator or the machine must act, so a stage stops on these instead
# of quarantining the item at hand (pipeline.executor).
STOP_ERRORS: tuple[type[BaseException], ...] = (ConfigError, WarehouseError, TransientError, MemoryError)
