"""The only module that touches Great Expectations; imported lazily by the gate.

``import great_expectations`` costs 5-7 s and ~260 MB, so nothing imports this module
at load time. Every run uses ``RESULT_FORMAT``: GX's default ``BASIC`` copies up to 20
offending cell values into ``partial_unexpected_list`` (and from there into stored
results and Data Docs); with ``partial_unexpected_count: 0`` only counts are kept.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped]  # no pandas-stubs in the env

from redaction.validation.checks import COLUMNS_IN_ORDER, Check, CheckResult

RESULT_FORMAT: dict[str, Any] = {"result_format": "BASIC", "partial_unexpected_count": 0}
#: Pass or fail only: no counts, no unexpected rows gathered (the first run on a chunk).
PASS_OR_FAIL: dict[str, Any] = {"result_format": "BOOLEAN_ONLY"}

#: Where a file context rooted at ``docs_dir`` writes its Data Docs site.
DOCS_INDEX = Path("gx", "uncommitted", "data_docs", "local_site", "index.html")


class GxRunner:
    """One GX context and the suites for one output file.

    Args:
        label: names the suites and runs in Data Docs (the dataset name); never a value.
        docs_dir: a folder for a file context and its Data Docs; None for an ephemeral
            context that leaves nothing on disk.
    """

    def __init__(self, label: str, docs_dir: Path | None):
        # Before the import: GX reads it when the context starts. Forced, not defaulted:
        # a validation run never reports anything anywhere.
        os.environ["GX_ANALYTICS_ENABLED"] = "False"
        with _quiet():
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            ctx: Any
            if docs_dir is None:
                ctx = gx.get_context(mode="ephemeral")
            else:
                docs_dir.mkdir(parents=True, exist_ok=True)
                ctx = gx.get_context(mode="file", project_root_dir=str(docs_dir))
            # TQDM_DISABLE does not silence GX's bars; this does (STACK.md).
            ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
            _no_data_fingerprint()
        self._gx = gx
        self._ctx = ctx
        self._docs_dir = docs_dir
        self._label = gx_name(label)
        # Stable names a GX user can look up: one pandas data source, one data asset
        # named after the extract, suites "<extract>-<kind>" and a checkpoint
        # "<extract>". A file context reused by an earlier run keeps that run's results
        # (Data Docs list them) while its definitions are replaced by this run's.
        self._source = ctx.data_sources.add_or_update_pandas(DATA_SOURCE)
        if self._label in self._source.get_asset_names():
            self._source.delete_asset(self._label)
        self._batch = self._source.add_dataframe_asset(
            self._label
        ).add_batch_definition_whole_dataframe(BATCH_DEFINITION)
        self._validations: dict[str, Any] = {}

    @property
    def keeps_results(self) -> bool:
        """Whether results are stored (for Data Docs), always with counts."""
        return self._docs_dir is not None

    def _definition(self, kind: str, checks: Iterable[Check]) -> Any:
        if kind in self._validations:
            return self._validations[kind]
        gx = self._gx
        import great_expectations.expectations as gxe

        from redaction.validation import gx_arrow

        name = gx_name(f"{self._label}-{kind}")
        if self.keeps_results:
            _forget(self._ctx, name)
        suite = gx.ExpectationSuite(name=name)
        for check in checks:
            class_name = _class_name(check.expectation)
            cls = getattr(gxe, class_name, None) or getattr(gx_arrow, class_name)
            kwargs = dict(check.kwargs)
            if check.column is not None:
                kwargs["column"] = check.column
            suite.add_expectation(cls(**kwargs, meta={"check": check.key}))
        suite = self._ctx.suites.add(suite)
        vd = self._ctx.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=self._batch, suite=suite)
        )
        self._validations[kind] = vd
        return vd

    def run(
        self,
        kind: str,
        checks: list[Check],
        frame: pd.DataFrame,
        run_name: str,
        *,
        counts: bool = True,
    ) -> list[CheckResult]:
        """Validate ``frame`` against the suite ``kind`` (built from ``checks`` once).

        ``counts=False`` asks for pass or fail only (GX's ``BOOLEAN_ONLY``: no unexpected
        counts, and no gathering of unexpected rows); ignored when results are kept for
        Data Docs, which always carry counts. ``CheckResult.counted`` says which it was.
        """
        if not checks:
            return []
        from great_expectations.core.run_identifier import RunIdentifier

        vd = self._definition(kind, checks)
        keep = self._docs_dir is not None
        counts = counts or keep
        with _quiet():
            if not keep:
                # Nothing to keep: validate the batch without storing the result (the
                # store serialises every result, ~0.1 s per run at 30 expectations).
                batch = vd.batch_definition.get_batch(batch_parameters={"dataframe": frame})
                result = batch.validate(
                    vd.suite, result_format=RESULT_FORMAT if counts else PASS_OR_FAIL
                )
            else:
                result = vd.run(
                    batch_parameters={"dataframe": frame},
                    result_format=RESULT_FORMAT,
                    run_id=RunIdentifier(run_name=gx_name(run_name)),
                )
        out = []
        for r in result.results:
            meta = r.expectation_config.meta or {}
            raised = bool((r.exception_info or {}).get("raised_exception"))
            res = r.result or {}
            out.append(
                CheckResult(
                    key=str(meta.get("check", "")),
                    success=bool(r.success) and not raised,
                    unexpected_count=int(res.get("unexpected_count") or 0),
                    element_count=int(res.get("element_count") or 0),
                    counted=counts,
                )
            )
        return out

    def run_columns(self, columns: list[str], expected: list[str], run_name: str) -> bool:
        """GX's ordered column-list check, once per file, on a zero-row frame."""
        check = Check("columns", COLUMNS_IN_ORDER, None, {"column_list": expected})
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
        if len(frame.columns) != len(columns):  # a repeated name: the list cannot match
            return False
        (result,) = self.run("columns", [check], frame, run_name)
        return result.success

    def build_docs(self) -> Path | None:
        """Save a checkpoint of this run's suites, render Data Docs from the stored
        results and make them readable offline; returns ``index.html`` if written."""
        if self._docs_dir is None:
            return None
        from redaction.validation.gx_project import name_in_config

        with _quiet():
            self._save_checkpoint()
            # The config names redaction.gx: plain GX then registers the expectation
            # types and keeps rebuilt Data Docs offline (see gx_project).
            name_in_config(self._ctx)
            self._ctx.build_data_docs()
        site = self._docs_dir / DOCS_INDEX.parent
        if not (site / DOCS_INDEX.name).exists():
            return None
        from redaction.validation.gx_docs import make_offline

        make_offline(site)
        return site / DOCS_INDEX.name

    def _save_checkpoint(self) -> None:
        """A checkpoint named after the extract, re-runnable by a GX user with the same
        counts-only result format and a Data Docs update (see ``redaction.gx``)."""
        from great_expectations.checkpoint.actions import UpdateDataDocsAction

        if not self._validations:
            return
        _forget(self._ctx, self._label, suites=False)
        self._ctx.checkpoints.add(
            self._gx.Checkpoint(
                name=self._label,
                validation_definitions=list(self._validations.values()),
                actions=[UpdateDataDocsAction(name="update_data_docs")],
                result_format=RESULT_FORMAT,
            )
        )


#: The data source every run's asset lives in, and the asset's one batch definition.
DATA_SOURCE = "redaction"
BATCH_DEFINITION = "whole"


def gx_name(text: str) -> str:
    """A name for GX suites, runs and files: letters, digits, ``_`` and ``-`` only (a
    colon breaks paths on Windows and in Data Docs links; a dot makes GX nest folders)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "output"


def _forget(ctx: Any, name: str, *, suites: bool = True) -> None:
    """Remove an earlier run's checkpoint, validation definition and suite of ``name``
    (stored results stay)."""
    stores = [ctx.checkpoints] if not suites else [ctx.validation_definitions, ctx.suites]
    for store in stores:
        with contextlib.suppress(Exception):  # GX raises its own not-found types
            store.delete(name)


def _no_data_fingerprint() -> None:
    """Stop GX hashing every chunk into ``batch_markers.pandas_data_fingerprint``.

    GX fingerprints a pandas batch under 1 GB with ``hash_pandas_object`` + md5. The hash
    is stored with the results and shown in Data Docs: a digest of withheld data that
    could confirm a guess about a small chunk, and ~25% of the gate's time at 250k rows
    x 20 columns. GX has no public switch; its module threshold is the only knob (GX
    1.24). If a later GX drops it, this does nothing and only speed is lost.
    """
    from great_expectations.execution_engine import pandas_execution_engine as pee

    if hasattr(pee, "HASH_THRESHOLD"):
        pee.HASH_THRESHOLD = 0


def _class_name(expectation: str) -> str:
    return "".join(part.capitalize() for part in expectation.split("_"))


class _quiet(warnings.catch_warnings):
    """GX and pandas warn about their own internals; a warning may quote data, so none
    escapes a validation run (and ``filterwarnings = error`` in tests stays meaningful
    for our code)."""

    def __enter__(self) -> None:
        super().__enter__()
        warnings.simplefilter("ignore")
