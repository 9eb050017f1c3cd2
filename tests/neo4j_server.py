"""A real Neo4j Community server for the tests: installed from Maven Central, run on loopback.

``tests/neo4j-runtime/install.sh`` resolves Neo4j (and the neosemantics plugin) with Maven and
compiles the launcher ``tests/neo4j-runtime/Neo4jServer.java``; :func:`install` runs it (it does
nothing when the runtime is cached) and :func:`make_home` lays out a ``NEO4J_HOME`` whose
``bin/neo4j-admin`` is Neo4j's own admin tool, so the bundle's ``import.sh`` runs there as the
docs say. :func:`running_server` serves a home over Bolt on 127.0.0.1, without authentication,
and stops it at the end of its block.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.serve import stop_process
from tests.tools import free_port

INSTALL_SCRIPT = Path(__file__).parent / "neo4j-runtime" / "install.sh"
#: Seconds for the DBMS to start (a JVM and its first store open on a shared 2-core machine).
STARTUP_TIMEOUT = 240.0
#: The JVM's heap: the samples need far less than the default quarter of the memory.
JAVA_OPTIONS = ("-Xmx1g", "-XX:+UseSerialGC")


@dataclass(frozen=True)
class Runtime:
    """The installed runtime: its class path, plugin folder and launcher classes."""

    root: Path

    @property
    def classpath(self) -> str:
        return (self.root / "classpath.txt").read_text(encoding="utf-8").strip()

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"


def install() -> Runtime:
    """Install (or find cached) the Neo4j runtime with ``tests/neo4j-runtime/install.sh``."""
    done = subprocess.run(["sh", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"{INSTALL_SCRIPT} failed:\n{done.stderr[-3000:]}")
    return Runtime(Path(done.stdout.strip().splitlines()[-1]))


def make_home(runtime: Runtime, home: Path) -> Path:
    """A ``NEO4J_HOME`` at ``home``: an empty ``conf/neo4j.conf`` and ``bin/neo4j-admin``."""
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").touch()
    (home / "bin").mkdir(exist_ok=True)
    admin = home / "bin" / "neo4j-admin"
    java = " ".join(shlex.quote(option) for option in JAVA_OPTIONS)
    admin.write_text(
        "#!/bin/sh\n"
        "# neo4j-admin of this home: Neo4j's admin tool (org.neo4j.cli.AdminTool) from Maven Central.\n"
        'NEO4J_HOME="$(cd "$(dirname "$0")/.." && pwd)"\n'
        'export NEO4J_HOME NEO4J_CONF="$NEO4J_HOME/conf"\n'
        f'exec java {java} -cp {shlex.quote(runtime.classpath)} org.neo4j.cli.AdminTool "$@"\n',
        encoding="utf-8",
    )
    admin.chmod(0o755)
    return home


@contextlib.contextmanager
def running_server(runtime: Runtime, home: Path) -> Iterator[str]:
    """Serve the DBMS of ``home`` while the block runs; yields its Bolt URL."""
    port = free_port()
    log_path = home / "server.log"
    command = ["java", *JAVA_OPTIONS, "-cp", f"{runtime.root / 'classes'}{os.pathsep}{runtime.classpath}",
               "Neo4jServer", str(home), str(port), str(runtime.plugins)]
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while "ready" not in log_path.read_text(encoding="utf-8", errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Neo4j did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield f"bolt://127.0.0.1:{port}"
    finally:
        # Closing its standard input asks the launcher to shut the DBMS down cleanly.
        with contextlib.suppress(OSError):
            process.stdin.close()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            stop_process(process)
