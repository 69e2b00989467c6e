"""docker-compose.yml must run what the code is: the same settings names and commands.

Docker cannot run here, so the file is read as data: each service's
``MEDLEDGER_`` variables must be settings the code reads, each command
must be a ``medledger`` command that exists, and the API's port and health
check must be the ones the server has.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from api.app import create_app
from api.settings import ApiSettings
from cli.context import CliSettings
from cli.main import app as cli_app
from notify.settings import NotifySettings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def setting_names() -> set[str]:
    fields = (
        set(ApiSettings.model_fields)
        | set(CliSettings.model_fields)
        | set(NotifySettings.model_fields)
    )
    return {f"MEDLEDGER_{name.upper()}" for name in fields}


def resolves(command: list[str]) -> bool:
    """True when ``command`` names an existing ``medledger`` (sub)command."""
    assert command[0] == "medledger"
    current: Any = typer.main.get_command(cli_app)
    for word in command[1:]:
        if word.startswith("-"):
            break
        subcommands = getattr(current, "commands", None)
        if subcommands is None:
            return True  # the rest are arguments of a leaf command
        if word not in subcommands:
            return False
        current = subcommands[word]
    return getattr(current, "commands", None) is None


def test_compose_runs_postgres_the_api_and_both_workers(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "api", "projections", "notify"}
    assert services["api"]["command"] == ["medledger", "serve"]
    assert services["projections"]["command"] == ["medledger", "projections", "run"]
    assert services["notify"]["command"] == ["medledger", "notify", "run"]
    for name in ("api", "projections", "notify"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", ["api", "projections", "notify"])
def test_every_setting_in_compose_is_one_the_code_reads(
    compose: dict[str, Any], service: str
) -> None:
    environment = compose["services"][service]["environment"]
    ours = {name for name in environment if name.startswith("MEDLEDGER_")}
    assert ours, "the service is configured through MEDLEDGER_ settings"
    assert ours <= setting_names(), sorted(ours - setting_names())
    assert environment["MEDLEDGER_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "MEDLEDGER_API_SECRET" not in environment, "the API makes its own secret"


def test_the_apis_own_secret_lives_in_a_volume(compose: dict[str, Any]) -> None:
    """Without MEDLEDGER_API_SECRET the API keeps its secret in the log-keys directory:
    that must be the volume, so the secret outlives the container and every worker
    and ``docker compose run api medledger prepare-ledger`` read the same file."""
    api = compose["services"]["api"]
    log_keys = api["environment"]["MEDLEDGER_LOG_KEYS"]
    assert f"log-keys:{log_keys}" in api["volumes"]
    assert "log-keys" in compose["volumes"]


@pytest.mark.parametrize("service", ["api", "projections"])
def test_every_command_in_compose_exists(compose: dict[str, Any], service: str) -> None:
    assert resolves(compose["services"][service]["command"])


def test_the_operators_commands_in_the_compose_comments_exist() -> None:
    assert resolves(["medledger", "keygen", "admin", "--out", "keys/admin.key"])
    assert resolves(["medledger", "prepare-ledger", "ledger.example/x"])
    assert resolves(["medledger", "init", "--origin", "x"])
    assert not resolves(["medledger", "no-such-command"])


def test_the_api_port_and_health_check_match_the_server(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    api = compose["services"]["api"]
    port = api["environment"]["MEDLEDGER_PORT"]
    assert api["ports"] == [f"127.0.0.1:{port}:{port}"]
    assert f"http://127.0.0.1:{port}/healthz" in " ".join(api["healthcheck"]["test"])
    settings = ApiSettings(
        database_url=f"sqlite:///{tmp_path}/l.db",
        log_keys=tmp_path / "keys",
        port=int(port),
        api_workers=int(api["environment"]["MEDLEDGER_API_WORKERS"]),
    )
    paths = {getattr(route, "path", None) for route in create_app(settings).routes}
    assert "/healthz" in paths


def test_the_image_installs_the_code_and_serves_by_default() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("ledger", "projections", "api", "cli"):
        assert f"COPY {package} {package}" in dockerfile
    assert 'CMD ["medledger", "serve"]' in dockerfile
    assert "MEDLEDGER_LOG_KEYS=/data/log-keys" in dockerfile
