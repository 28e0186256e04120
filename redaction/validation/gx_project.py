"""What the ``--docs`` project's ``great_expectations.yml`` names, so that plain GX
loads the project as the gate wrote it.

GX 1.x finds an expectation type only once the module defining it has been imported; it
has no plugin entry point (its ``plugins_directory`` is only added to ``sys.path``). It
does import the module a store or a Data Docs site names in the project config
(``module_name``) when it builds that store or site. The written project names
``redaction.gx`` for two of them:

- the expectations store (:class:`ExpectationsStore`, GX's own): built when the context
  loads, before any suite is read, so the project's expectation types are registered
  whenever a suite is. Without the project installed the context does not load at all
  (GX raises ``ClassInstantiationError``), rather than dropping the custom expectations
  and passing on the rest.
- the Data Docs site (:class:`OfflineSiteBuilder`): GX's site builder, then
  :func:`redaction.validation.gx_docs.make_offline`, so the pages stay offline when a GX
  user rebuilds them (``context.build_data_docs()``, or a checkpoint's
  ``UpdateDataDocsAction``).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from great_expectations.data_context.store.expectations_store import ExpectationsStore
from great_expectations.render.renderer.site_builder import SiteBuilder

from redaction.validation import gx_arrow  # noqa: F401  # defining the classes registers them
from redaction.validation.gx_docs import make_offline

__all__ = ["MODULE", "ExpectationsStore", "OfflineSiteBuilder", "name_in_config"]

#: The module the project config names (public, re-exports these classes).
MODULE = "redaction.gx"


class OfflineSiteBuilder(SiteBuilder):
    """GX's Data Docs site builder whose pages load nothing from the network."""

    def build(self, resource_identifiers: Any = None, build_index: bool = True) -> Any:
        built = super().build(resource_identifiers, build_index=build_index)
        backend = self.target_store.store_backends.get("index_page")
        site = getattr(backend, "full_base_directory", None)
        if site is not None and (Path(site) / "index.html").is_file():
            make_offline(Path(site))
        return built


def name_in_config(ctx: Any) -> None:
    """Have the file context ``ctx``'s project config name :data:`MODULE` for its
    expectations store and its Data Docs sites, and save it."""
    variables = ctx.variables
    stores = copy.deepcopy(variables.stores)
    stores[variables.expectations_store_name]["module_name"] = MODULE
    sites = copy.deepcopy(variables.data_docs_sites or {})
    for site in sites.values():
        site["class_name"] = OfflineSiteBuilder.__name__
        site["module_name"] = MODULE
    variables.stores = stores
    variables.data_docs_sites = sites
    variables.save()
