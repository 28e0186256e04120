"""Prefect flows: thin wrappers over ``redaction.*``.

- ``flows.release``: one extract to one recipient (``release_extract``).
- ``flows.batch``: a folder or a manifest of extracts, each its own subflow.
- ``flows.partitioned``: a Parquet dataset folder fanned out over Dask, published
  all-or-none.
- ``flows.deploy``: serve the flows with schedules from ``flows/deployments.yaml``.
"""
