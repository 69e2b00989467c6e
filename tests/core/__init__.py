"""The ledger core's test suite: every event, every write-time rule, bad input, both backends."""
