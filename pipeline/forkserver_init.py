"""Imported first by the executor's forkserver (``pipeline.executor``), before the stage modules
it preloads: the server must stay single-threaded, since it forks every worker, and numpy's
OpenBLAS starts a thread per core at import unless told otherwise. A worker's BLAS then runs
on one thread too: the pool already gives each core a process."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
