"""The progress bar long commands (verify, rebuild) draw on stderr while they work."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def progress_bar(label: str) -> Progress:
    """A transient bar on stderr: ``label``, the bar, done of total, time left.

    ``label`` may name ``{task.description}``; stdout stays free for the
    command's answer.
    """
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
