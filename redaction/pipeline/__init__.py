"""The release pipeline's shared stages.

Every entry point (``redact release``, partitioned releases, the Prefect flows)
composes the same stages::

    open source -> profile/plan -> authorize -> stream transforms -> gate -> publish -> record

:mod:`redaction.pipeline.authorize` decides whether a release may carry its lawful
exception, once for every entry point; the other stages live in
:mod:`redaction.release` (one file) and :mod:`redaction.partitioned` (a folder of
parts), which share them.
"""
