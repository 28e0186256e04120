"""Outbound redaction filter for immigration-status data in government extracts.

The pipeline, in the order a release runs it::

    source -> read schema -> profile values -> plan -> stream batches -> apply plan
           -> stage -> validate -> publish atomically | quarantine -> ledger -> summary
"""

__version__ = "0.1.0"
