"""Prefect flows: thin wrappers over ``redaction.*``.

- ``flows.release``: one extract to one recipient (``release_extract``).
- ``flows.batch``: a folder or a manifest of extracts, each its own subflow.
- ``flows.partitioned``: a Parquet dataset folder fanned out over Dask, published
  all-or-none.
- ``flows.deploy``: check ``prefect.yaml`` or ``flows/deployments.yaml``; serve the latter.
- ``flows.artifacts``: the one artifact builder; ``flows.cli``: the ``python -m flows.*``
  commands (``redact release``'s option names).
"""
