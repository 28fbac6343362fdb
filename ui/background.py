"""The server's worker processes for the long computations a link can ask for (a large map), so that they run
beside the sessions' reruns instead of inside the server's process, where they would hold its interpreter
(the GIL) and make every other session's slider wait.

One pool per server (``st.cache_resource``), of ``cpu_count() − 1`` processes (at least one), started with
"spawn" (never fork a threaded server), each at a lower scheduling priority than the server and with one
numerical thread, so that a slider's rerun keeps a core's worth of CPU whatever the pool is doing. Nothing here
imports numpy: the workers import what the work needs when it arrives.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import streamlit as st

#: How much lower the workers' priority is than the server's (nice(2) increments).
NICENESS = 10
#: The environment of a numerical library's thread pools, set to one thread in the workers.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _start_worker() -> None:
    os.nice(NICENESS)


@st.cache_resource(show_spinner=False)
def pool() -> ProcessPoolExecutor:
    """The server's pool of worker processes."""
    for name in THREAD_VARIABLES:  # read by the spawned workers' numpy when it loads; the server's is loaded
        os.environ.setdefault(name, "1")
    return ProcessPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1),
                               mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)
