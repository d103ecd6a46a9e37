"""Fits on dask arrays, on LocalClusters of single-threaded worker processes.

Seven measurements, each printed as a table:

1. L-BFGS: the median time of an iteration on a lazy 1,000,000 x 50 array
   (chunks of 50,000 rows), h(64,), with 1 and with 2 workers. The data is
   generated on the workers; the client never holds it.
2. Communication: the median time of one full-batch evaluation on a tiny
   array (4 chunks of 16 rows, so that computing costs next to nothing) as
   the network grows from about 1k to 1M parameters, with the bytes that go
   out (the parameters, to every worker) and come back (each worker's
   partial sums over its spans of the summation tree).
3. A cost model fitted to those figures, extrapolated to 8 and 32 workers
   and to a network of 1M parameters; then, to check its growth with the
   parameters, the L-BFGS speed-up for h(2000,) (about 100,000 parameters)
   on 200,000 rows.
4. Streaming adam: rows per second of an epoch streamed from the cluster
   against the same fit in memory, on a 500,000 x 20 array in chunks of
   10,000, 100,000 and 250,000 rows.
5. Data-parallel adam (``dask_training="data_parallel"``): rows per second
   with 1 and 2 workers against the same fit in memory, at batch sizes 200
   and 10,000.
6. The client's peak memory (allocated, and resident) while it streams a 2,000,000 x 20
   float64 lazy array (305 MiB) in chunks of 100,000 and of 10,000 rows
   (fetched 10 at a time), and while L-BFGS fits it.
7. What the workers write to disk and read back in one streamed epoch of
   a 6,000,000 x 50 array (2.24 GiB) on 2 workers of 1.5 GiB each.

Times are medians over iterations or epochs, read by a callback at the end
of each; the two fits of each comparison run in the same process, one after
the other, on the same machine.

Run: python benchmarks/bench_dask.py [--quick]
"""

import argparse
import gc
import logging
import os
import statistics
import threading
import time
import tracemalloc
import warnings

import dask
import dask.array as da
import distributed
import numpy as np
import psutil
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.data.chunked import ChunkedData
from skxor.data.sum_tree import held_spans, partial_sums_sent
from skxor.network.losses import LogLoss
from skxor.network.network import Network


class EndTimes:
    """A FitCallback that records when each epoch or iteration ends."""

    def __init__(self):
        self.times = []

    def setup(self, estimator, context):
        self.times.append(time.perf_counter())

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        pass

    def on_fit_task_end(self, estimator, context, **kwargs):
        if context.task_name in ("epoch", "iteration"):
            self.times.append(time.perf_counter())
        return False

    def median_step(self):
        """Median seconds between consecutive ends, the first (set-up and validation) left out."""
        return statistics.median(np.diff(self.times[1:]))


def cluster(n_workers):
    return distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                    silence_logs=logging.CRITICAL)


def lazy_problem(n_rows, n_features, chunk_rows, seed=0):
    """A linearly separable-ish lazy problem, generated on the workers."""
    state = da.random.RandomState(seed)
    X = state.standard_normal((n_rows, n_features), chunks=(chunk_rows, n_features))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
    return X, y


def lbfgs_iteration(n_workers, n_rows, iterations, hidden=64):
    """The median seconds of an L-BFGS iteration, h(hidden,), on a cluster of ``n_workers``."""
    with cluster(n_workers) as local, distributed.Client(local):
        X, y = lazy_problem(n_rows, 50, 50_000)
        times = EndTimes()
        MLPBackpropClassifier((hidden,), solver="lbfgs", max_iter=iterations, random_state=0) \
            .set_callbacks(times).fit(X, y)
        return times.median_step()


def measure_large_network(args):
    """The L-BFGS speed-up from 1 to 2 workers for a network of about 100,000 parameters,
    which checks the cost model's growth of the compute with P."""
    n_rows = 50_000 if args.quick else 200_000
    seconds = {workers: lbfgs_iteration(workers, n_rows, 3, hidden=2_000) for workers in (1, 2)}
    print(f"\n### L-BFGS iteration, {n_rows:,} x 50, h(2000,) (104,003 parameters)\n")
    print("| workers | s / iteration | speed-up |")
    print("|---|---|---|")
    for workers, value in seconds.items():
        print(f"| {workers} | {value:.3f} | {seconds[1] / value:.2f}x |")


def lbfgs_rows(args):
    return 200_000 if args.quick else 1_000_000


def _half_evaluation(n_rows):
    """Seconds of 5 loss-and-gradient evaluations of h(64,) on ``n_rows`` x 50, one BLAS thread."""
    from threadpoolctl import threadpool_limits

    X = np.random.default_rng(0).standard_normal((n_rows, 50))
    target = (X[:, :1] > 0).astype(np.float64)
    network = Network.perceptron([50, 64, 1], "relu", "logistic", LogLoss())
    params = np.random.default_rng(1).standard_normal(network.size) * 0.1
    grad = np.empty_like(params)
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        for _ in range(5):
            network.loss_gradient(params, (X, target, None), 0.0, grad)
        return time.perf_counter() - start


def parallel_ceiling(n_rows):
    """What two cores give this arithmetic without Dask, as a speed-up.

    Twice the time of one process computing half the rows alone, over the
    longer of two processes computing one half each at once. Shared or busy
    cores give less than 2.
    """
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        alone = sum(pool.map(_half_evaluation, [n_rows // 2], chunksize=1) * 2)
        together = max(pool.map(_half_evaluation, [n_rows // 2] * 2, chunksize=1))
    return alone / together


def measure_lbfgs(args):
    n_rows = lbfgs_rows(args)
    iterations = 4 if args.quick else 8
    rounds = 1 if args.quick else 3
    ceilings, times = [parallel_ceiling(n_rows)], {1: [], 2: []}
    for _ in range(rounds):  # alternated, so that a noisy spell hits both alike
        for workers in (1, 2):
            times[workers].append(lbfgs_iteration(workers, n_rows, iterations))
    ceilings.append(parallel_ceiling(n_rows))
    seconds = {workers: statistics.median(values) for workers, values in times.items()}
    print(f"\n### L-BFGS iteration, {n_rows:,} x 50, h(64,), chunks of 50,000 rows, median of "
          f"{rounds} alternated fits\n")
    print("| workers | s / iteration | speed-up |")
    print("|---|---|---|")
    for workers, value in seconds.items():
        print(f"| {workers} | {value:.3f} | {seconds[1] / value:.2f}x |")
    print(f"\nThe same arithmetic without Dask, two processes at once against one process "
          f"alone (measured before and after the fits): "
          f"{' and '.join(f'{ceiling:.2f}x' for ceiling in ceilings)}: what these two cores "
          "give at best.")
    return seconds


def widths_for(parameters):
    """A hidden width giving about ``parameters`` weights on 16 features and 2 classes."""
    return max(1, round(parameters / 18))


def measure_communication(args, n_workers=2):
    sizes = [1_000, 10_000, 100_000] + ([] if args.quick else [1_000_000])
    rows = []
    with cluster(n_workers) as local, distributed.Client(local) as client:
        X, y = lazy_problem(64, 16, 16)
        blocks = list(zip(X.to_delayed().ravel(), y.to_delayed().ravel(), strict=True))
        workers = sorted(client.nthreads())  # consecutive chunks on each worker, as a fit has
        chunks = [client.compute(dask.delayed(_tiny_chunk)(X_block, y_block),
                                 workers=[workers[index * n_workers // len(blocks)]])
                  for index, (X_block, y_block) in enumerate(blocks)]
        data = ChunkedData(client, chunks, n_features=16, dtype=np.dtype(np.float64))
        for size in sizes:
            network = Network.perceptron([16, widths_for(size), 1], "relu", "logistic",
                                         LogLoss())
            params = np.random.RandomState(0).standard_normal(network.size) * 0.01
            grad = np.empty_like(params)
            data.loss_gradient(network, params, 1e-4, grad)  # the network goes out once
            spent = []
            for _ in range(5 if args.quick else 15):
                start = time.perf_counter()
                data.loss_gradient(network, params, 1e-4, grad)
                spent.append(time.perf_counter() - start)
            out = params.nbytes * n_workers
            back = (params.nbytes + 8) * partial_sums_held(data)
            rows.append((network.size, statistics.median(spent), out, back))
    print(f"\n### One evaluation's communication, {n_workers} workers, 4 chunks of 16 rows\n")
    print("| parameters | ms / evaluation | bytes out | bytes back |")
    print("|---|---|---|---|")
    for size, seconds, out, back in rows:
        print(f"| {size:,} | {seconds * 1e3:.1f} | {out:,} | {back:,} |")
    return rows, len(chunks), n_workers


def partial_sums_held(data):
    """The partial sums ``data``'s workers send back per evaluation: their spans of the tree."""
    held = {}
    for index, holder in enumerate(data.holders):
        held.setdefault(holder, set()).add(index)
    return sum(len(held_spans(indices, len(data.chunks))) for indices in held.values())


def _tiny_chunk(X, y):
    from skxor.data.chunk import Chunk

    X = np.ascontiguousarray(X)
    return Chunk(X, y.reshape(-1, 1).astype(np.float64), None, y)


def cost_model(lbfgs_seconds, communication, n_rows):
    """T(w, P) = C P / (P0 w) + a + b B(w, P), from the measured figures.

    ``a`` and ``b`` are a straight line through the communication table
    (seconds against bytes moved); ``C`` is the one-worker iteration of the
    L-BFGS table (``P0`` parameters) less its communication: the compute,
    which ``w`` workers share and which grows with the parameters (a dense
    network's work per row is proportional to P). ``B(w, P) = 8 P (w +
    s(w))``: the parameters reach every worker, and ``s(w)`` partial sums
    come back (each worker's spans of the tree over 20 chunks). One
    evaluation per iteration is assumed (L-BFGS-B's line search mostly
    accepts its first step).
    """
    rows, _, _ = communication
    moved = np.array([out + back for _, _, out, back in rows], dtype=float)
    seconds = np.array([row[1] for row in rows])
    per_byte, fixed = np.polyfit(moved, seconds, 1)
    chunks, measured_parameters = n_rows // 50_000, 3_329

    def communication_seconds(parameters, workers):
        return fixed + per_byte * 8 * parameters * (workers + partial_sums_sent(chunks, workers))

    compute = lbfgs_seconds[1] - communication_seconds(measured_parameters, 1)
    print("\n### Cost model, extrapolated\n")
    print(f"T(w, P) = C P / (P0 w) + a + b * 8 P (w + s(w)): C = {compute:.3f} s (the 1-worker "
          f"iteration less its communication, P0 = {measured_parameters:,}), a = "
          f"{fixed * 1e3:.1f} ms per evaluation, b = {per_byte * 1e9:.2f} ns per byte moved; "
          f"{n_rows:,} rows in {chunks} chunks.")
    print("\n| workers | P | partial sums back | predicted s / iteration | predicted speed-up |")
    print("|---|---|---|---|---|")
    for parameters in (measured_parameters, 1_000_000):
        work = compute * parameters / measured_parameters
        single = work + communication_seconds(parameters, 1)
        for workers in (1, 2, 8, 32):
            predicted = work / workers + communication_seconds(parameters, workers)
            print(f"| {workers} | {parameters:,} | {partial_sums_sent(chunks, workers)} | "
                  f"{predicted:.3f} | {single / predicted:.1f}x |")


def rows_per_second(estimator, X, y):
    """Rows per second of the median epoch of fitting ``estimator`` on ``(X, y)``."""
    times = EndTimes()
    estimator.set_callbacks(times).fit(X, y)
    return X.shape[0] / times.median_step()


def streaming_against_memory(args):
    """Streamed adam's rows/s against the same fit in memory, at three chunk sizes."""
    n_rows = 250_000 if args.quick else 500_000
    epochs = 2 if args.quick else 4
    params = {"hidden_layer_sizes": (64,), "max_iter": epochs, "random_state": 0,
              "tol": 0.0, "n_iter_no_change": epochs + 1}
    rows = []
    with cluster(2) as local, distributed.Client(local):
        for chunk_rows in (10_000, 100_000, 250_000):
            X, y = lazy_problem(n_rows, 20, chunk_rows)
            X_host, y_host = X.compute(), y.compute()
            rates = {"streamed": [], "in memory": []}
            for _ in range(1 if args.quick else 2):  # alternated, so noise hits both alike
                for name, data in (("streamed", (X, y)), ("in memory", (X_host, y_host))):
                    rates[name].append(rows_per_second(MLPBackpropClassifier(**params), *data))
            rows.append((chunk_rows, statistics.median(rates["streamed"]),
                         statistics.median(rates["in memory"])))
    print(f"\n### Streaming adam against memory, {n_rows:,} x 20, h(64,), 2 workers\n")
    print("| chunk rows | streamed rows / s | in memory rows / s | ratio |")
    print("|---|---|---|---|")
    for chunk_rows, streamed, in_memory in rows:
        print(f"| {chunk_rows:,} | {streamed:,.0f} | {in_memory:,.0f} | "
              f"{streamed / in_memory:.2f} |")


def data_parallel_adam(args):
    """Data-parallel adam's rows/s with 1 and 2 workers, against the same fit in memory."""
    n_rows = 100_000 if args.quick else 200_000
    epochs = 2 if args.quick else 3
    rows = []
    for batch_size in (200, 10_000):
        params = {"hidden_layer_sizes": (64,), "max_iter": epochs, "random_state": 0,
                  "tol": 0.0, "n_iter_no_change": epochs + 1, "batch_size": batch_size}
        rates = {}
        for workers in (1, 2):
            with cluster(workers) as local, distributed.Client(local):
                X, y = lazy_problem(n_rows, 20, 25_000)
                rates[workers] = rows_per_second(
                    MLPBackpropClassifier(dask_training="data_parallel", **params), X, y)
                X_host, y_host = X.compute(), y.compute()
        rates["in memory"] = rows_per_second(MLPBackpropClassifier(**params), X_host, y_host)
        rows.append((batch_size, rates))
    print(f"\n### Data-parallel adam, {n_rows:,} x 20, h(64,), chunks of 25,000 rows\n")
    print("| batch size | 1 worker rows / s | 2 workers rows / s | in memory rows / s |")
    print("|---|---|---|---|")
    for batch_size, rates in rows:
        print(f"| {batch_size:,} | {rates[1]:,.0f} | {rates[2]:,.0f} | "
              f"{rates['in memory']:,.0f} |")


class PeakMemory:
    """The peaks of this process's memory inside the block.

    Two views: the resident size, sampled every 5 ms, which also counts
    memory the allocator keeps after it is freed; and the peak of what
    Python and NumPy had allocated at once (``tracemalloc``).
    """

    def __init__(self):
        self.process = psutil.Process()
        self.stop = threading.Event()

    def __enter__(self):
        gc.collect()
        self.baseline = self.peak = self.process.memory_info().rss
        tracemalloc.start()
        self.sampler = threading.Thread(target=self._sample)
        self.sampler.start()
        return self

    def _sample(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc_info):
        self.stop.set()
        self.sampler.join()
        self.allocated_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    def growth_mib(self):
        return (self.peak - self.baseline) / 2**20

    def allocated_mib(self):
        return self.allocated_peak / 2**20


def client_peak_memory(args):
    n_rows = 400_000 if args.quick else 2_000_000
    rows = []
    with cluster(2) as local, distributed.Client(local):
        for solver, chunk_rows in (("adam", 100_000), ("adam", 10_000), ("lbfgs", 100_000)):
            X, y = lazy_problem(n_rows, 20, chunk_rows)
            with PeakMemory() as memory:
                MLPBackpropClassifier((64,), solver=solver, max_iter=2, random_state=0).fit(X, y)
            rows.append((solver, chunk_rows, memory))
    size = n_rows * 20 * 8 / 2**20
    print(f"\n### Client peak memory, {n_rows:,} x 20 float64 ({size:.0f} MiB)\n")
    print("| solver | chunk rows | peak allocated (MiB) | peak resident growth (MiB) |")
    print("|---|---|---|---|")
    for solver, chunk_rows, memory in rows:
        print(f"| {solver} | {chunk_rows:,} | {memory.allocated_mib():.0f} | "
              f"{memory.growth_mib():.0f} |")


def disk_spilled(client):
    """Bytes the workers of ``client`` have written to and read from disk so far."""
    metrics = client.run(lambda dask_worker: dict(dask_worker.data.cumulative_metrics))
    totals = {"disk-write": 0.0, "disk-read": 0.0}
    for worker in metrics.values():
        for (label, unit), value in worker.items():
            if unit == "bytes" and label in totals:
                totals[label] += value
    return totals


def spilling_epoch(args):
    """One streamed adam epoch on data larger than the workers' memory: what goes to disk."""
    import tempfile

    n_rows, limit = (1_200_000, "0.3GiB") if args.quick else (6_000_000, "1.5GiB")
    with tempfile.TemporaryDirectory() as spill_directory, \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                     dashboard_address="127.0.0.1:0", memory_limit=limit,
                                     local_directory=spill_directory,
                                     silence_logs=logging.CRITICAL) as local, \
            distributed.Client(local) as client:
        X, y = lazy_problem(n_rows, 50, 100_000)
        start = time.perf_counter()
        MLPBackpropClassifier((64,), max_iter=1, random_state=0).fit(X, y)
        seconds = time.perf_counter() - start
        spilled = disk_spilled(client)
    size = n_rows * 50 * 8 / 2**30
    print(f"\n### One streamed adam epoch, {n_rows:,} x 50 float64 ({size:.2f} GiB), chunks of "
          f"100,000 rows, 2 workers of {limit} each\n")
    print("| fit (validation and one epoch), s | written to disk (GiB) | read from disk (GiB) |")
    print("|---|---|---|")
    print(f"| {seconds:.1f} | {spilled['disk-write'] / 2**30:.2f} | "
          f"{spilled['disk-read'] / 2**30:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, fewer repeats")
    parser.add_argument("--only", choices=["lbfgs", "communication", "large", "streaming",
                                           "data_parallel", "memory", "spill"],
                        help="run one measurement (the cost model needs the first two)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    print(f"{os.cpu_count()} CPUs; workers are single-threaded processes on this machine.")
    wanted = ({args.only} if args.only
              else {"lbfgs", "communication", "large", "streaming", "data_parallel", "memory",
                    "spill"})
    lbfgs_seconds = measure_lbfgs(args) if "lbfgs" in wanted else None
    communication = measure_communication(args) if "communication" in wanted else None
    if lbfgs_seconds and communication:
        cost_model(lbfgs_seconds, communication, lbfgs_rows(args))
    if "large" in wanted:
        measure_large_network(args)
    if "streaming" in wanted:
        streaming_against_memory(args)
    if "data_parallel" in wanted:
        data_parallel_adam(args)
    if "memory" in wanted:
        client_peak_memory(args)
    if "spill" in wanted:
        spilling_epoch(args)


if __name__ == "__main__":
    main()
