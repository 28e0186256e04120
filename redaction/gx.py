"""Re-run a release's validation from plain Great Expectations.

``redact release --docs DIR`` and ``redact validate FILE --docs DIR`` write a GX file
project under ``DIR/gx``: a pandas data source ``redaction`` with a data asset named after
the extract (the dataset contract's name), suites ``<extract>-rows`` and
``<extract>-columns`` (plus ``<extract>-detail-...`` when a rule failed and the gate
looked closer), a checkpoint ``<extract>`` that runs them all with a counts-only result
format and updates Data Docs, and the Data Docs themselves (offline: see
``redaction.validation.gx_docs``).

Some suites use the project's own expectation types (RE2 regex rules and rules over a
list of columns, in ``redaction.validation.gx_arrow``). GX 1.x finds an expectation type
only once the module defining it has been imported (it has no plugin entry point), so the
project's ``great_expectations.yml`` names this module for its expectations store and its
Data Docs site: loading the context imports it, which registers the types, and rebuilt
Data Docs stay offline (``redaction.validation.gx_project``). Plain GX with the project
installed re-runs the checkpoint with no import of its own; without the project the
context does not load::

    import great_expectations as gx
    import pandas as pd

    context = gx.get_context(mode="file", project_root_dir="DIR")
    checkpoint = context.checkpoints.get("dmv_drivers")
    frame = pd.read_csv("outbox/dmv_drivers.csv", dtype=str)
    print(checkpoint.run(batch_parameters={"dataframe": frame}).success)

:func:`frames` reads a released file as the gate does (every column as text for CSV and JSON
lines, dictionaries kept), chunk by chunk; any other pandas frame of the same columns
works too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import great_expectations  # noqa: F401  # GX first: gx_arrow subclasses its classes
import pandas as pd  # type: ignore[import-untyped]  # no pandas-stubs in the env

from redaction.validation import gx_arrow  # noqa: F401  # defining the classes registers them
from redaction.validation.checks import per_value_columns, row_checks, set_check_columns
from redaction.validation.gate import DEFAULT_CHUNK_ROWS
from redaction.validation.gx_project import ExpectationsStore, OfflineSiteBuilder
from redaction.validation.readers import open_source

#: Named by the written project's config (``redaction.validation.gx_project``).
__all__ = ["ExpectationsStore", "OfflineSiteBuilder", "frames"]


def frames(
    path: str | Path,
    *,
    dataset: str | None = None,
    profile: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    csv_delimiter: str = ",",
) -> Iterator[pd.DataFrame]:
    """The released file ``path`` as the gate reads it, one frame per chunk, every
    column included."""
    from redaction.validate import spec_for_file

    path = Path(path)
    spec, fmt = spec_for_file(path, dataset, profile=profile)
    checks = row_checks(spec, fmt)
    source = open_source(
        path,
        fmt,
        needed=list(spec.column_names),
        as_text=set_check_columns(checks),
        by_value=per_value_columns(checks),
        chunk_rows=chunk_rows,
        csv_delimiter=csv_delimiter,
    )
    yield from source.chunks
