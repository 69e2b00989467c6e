"""A real ``medledger serve`` process on 127.0.0.1, for the crash and end-to-end tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from benchmarks.common import free_port
from tests.api.conftest import TEST_SECRET
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    """One server process; ``kill`` is kill -9, ``start`` brings it (back) up."""

    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> None:
        # Generous: on a loaded 2-core machine importing the application alone takes
        # 25 s of wall time, and a test must not fail because the machine is slow.
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--port", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not come up: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """kill -9: no shutdown handler, no flush, nothing."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def server_env(
    backend: str, directory: Path, schema: str | None, secret: str | None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLEDGER_")}
    env.update(
        {"MEDLEDGER_LOG_KEYS": str(directory / "log-keys"), "MEDLEDGER_LOG_LEVEL": "warning"}
    )
    if secret is not None:
        env["MEDLEDGER_API_SECRET"] = secret
    if backend == "postgres":
        assert schema is not None
        env["MEDLEDGER_DATABASE_URL"] = PG_URL
        env["MEDLEDGER_DATABASE_SCHEMA"] = schema
    else:
        env["MEDLEDGER_DATABASE_URL"] = f"sqlite:///{directory}/ledger.db"
    return env


@contextmanager
def live_server(
    backend: str,
    directory: Path,
    pg_schema: str | None,
    *,
    worker: bool = False,
    secret: str | None = TEST_SECRET,
) -> Iterator[LiveServer]:
    """A server on a fresh database (a fresh PostgreSQL schema, dropped afterwards).

    With ``worker`` and PostgreSQL, the projection worker runs beside it, as in
    docker-compose.yml (on SQLite the server keeps its read models itself).
    With ``secret=None`` no secret is configured: the server makes its own in
    the log-keys directory, as a deployment that sets none does.
    """
    schema = f"{pg_schema}_live_{uuid.uuid4().hex[:6]}" if backend == "postgres" else None
    server = LiveServer(
        server_env(backend, directory, schema, secret), free_port(), directory / "server.log"
    )
    follower: subprocess.Popen[bytes] | None = None
    try:
        server.start()
        if worker and backend == "postgres":
            follower = subprocess.Popen(
                [sys.executable, "-m", "cli", "projections", "run", "--poll", "0.2"],
                env=server.env,
                cwd=ROOT,
                stdout=(directory / "worker.log").open("ab"),
                stderr=subprocess.STDOUT,
            )
        yield server
    finally:
        if follower is not None:
            follower.terminate()
            follower.wait(timeout=10)
        server.stop()
        if schema is not None:
            engine = create_engine(PG_URL)
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
