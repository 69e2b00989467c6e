"""Read models of the ledger: rebuildable from the log, tracked, replayable as of any point.

The projections read the signed log through ``ledger.storage.store.Store.entries`` and
keep their rows in ``rm_*`` tables beside the store, each read model with
its own tracking position per ledger (docs/PROJECTIONS.md).  The ledger
package never imports this one.
"""
