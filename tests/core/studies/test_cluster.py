"""A study on a real Dask cluster started the way the README starts one: ``dask scheduler`` and two
``dask worker`` processes, in a temporary directory, with the project on nobody's path."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import pandas as pd
import pytest

from deploy.scale_out import free_port
from tests.core.test_cli import REPO_ROOT, run

START_TIMEOUT = 60


def _nobody_listens(port: int) -> bool:
    # Connections closed a moment ago linger in TIME_WAIT (a plain bind would fail): what matters is
    # that no process still listens there.
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def _stop(proc: subprocess.Popen) -> None:
    """End a process we started and everything it started (its own session), politely, then firmly."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _probe() -> dict:
    """Run on the cluster: where the process is and whether it can import the project unaided."""
    import importlib.util
    import os
    import sys

    return {"cwd": os.getcwd(), "path": list(sys.path), "core": importlib.util.find_spec("core") is not None}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from dask.distributed import Client

    where = tmp_path_factory.mktemp("cluster")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [str(Path(sys.executable).with_name("dask"))]
    logs = [open(where / name, "w") for name in ("scheduler.log", "worker1.log", "worker2.log")]
    procs = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=where, env=env, stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        for log in logs[1:]:
            procs.append(subprocess.Popen(
                [*dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"],
                cwd=where, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        client = Client(address, timeout=START_TIMEOUT)
        client.wait_for_workers(2, timeout=START_TIMEOUT)
        cloudpickle.register_pickle_by_value(sys.modules[__name__])
        probes = [*client.run(_probe).values(), client.run_on_scheduler(_probe)]
        client.close()
        yield address, probes, str(where)
    finally:
        for proc in reversed(procs):
            _stop(proc)
        for log in logs:
            log.close()
    deadline = time.monotonic() + 20
    while not _nobody_listens(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _nobody_listens(port), f"the scheduler still listens on port {port} after the cluster stopped"
    assert all(proc.poll() is not None for proc in procs)


def test_cluster_processes_cannot_import_the_project(cluster) -> None:
    _, probes, where = cluster
    assert len(probes) == 3
    for probe in probes:
        assert not probe["core"], probe
        assert str(REPO_ROOT) not in probe["path"]
        assert Path(probe["cwd"]).resolve() != REPO_ROOT


@pytest.mark.parametrize("args", [
    ["--outcomes", "5", "--rule", "quadratic", "--worlds", "20000"],
    ["--outcomes", "3", "--rule", "log", "--worlds", "3000"],
    # 19 chunks of 32 policy worlds: more than the cluster holds in flight, so chunks are refilled and come
    # back out of order, to be written in order.
    ["--sampler", "policy", "--outcomes", "3", "--worlds", "600"],
])
def test_cluster_study_gives_exactly_the_single_process_numbers(cluster, tmp_path, args) -> None:
    address, _, _ = cluster
    here, there = tmp_path / "here.parquet", tmp_path / "there.parquet"
    local = run("study", *args, "--seed", "7", "--quiet", "--out", str(here), timeout=600)
    remote = run("study", *args, "--seed", "7", "--quiet", "--out", str(there), "--scheduler", address, timeout=600)
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    if "policy" in args:
        # A policy world's optimum on an edge may be finished by SLSQP, whose last digits follow BLAS's number
        # of threads (Dask's workers run one): equal to the solvers' tolerance, not to the last bit.
        pd.testing.assert_frame_equal(pd.read_parquet(there), pd.read_parquet(here), rtol=1e-9, atol=1e-9)
        return
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    pd.testing.assert_frame_equal(pd.read_parquet(there), pd.read_parquet(here), check_exact=True)
