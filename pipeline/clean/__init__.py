"""Clean stage: boilerplate removal with an audit trail, and article metadata.

Public interface: ``clean_documents(documents, settings, run_id, recurring) -> CleanOutput``
and ``RecurringLines`` (the learned per-publisher signal). Rules are data in rules.toml.
"""

from pipeline.clean.recurring import RecurringLines
from pipeline.clean.stage import CleanOutput, clean_documents

__all__ = ["CleanOutput", "RecurringLines", "clean_documents"]
