"""``python -m cli`` runs the ``medledger`` command."""

from cli.main import app

app()
