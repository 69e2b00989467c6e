"""Benchmarks: scripts that print figures and ratios against a reference measured in the same run.

Run all with ``python -m benchmarks`` (or ``make bench``); one with
``python -m benchmarks b1`` etc.  Nothing here asserts: a slow machine
gives low figures, never a failure.
"""
