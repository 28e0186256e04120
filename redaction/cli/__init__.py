"""The ``redact`` command line: one module per command, errors mapped in ``app.main``."""
