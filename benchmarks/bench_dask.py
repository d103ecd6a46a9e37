"""Fits on dask arrays, on LocalClusters of single-threaded worker processes.

Four measurements, each printed as a table:

1. L-BFGS: the median time of an iteration on a lazy 1,000,000 x 50 array
   (chunks of 50,000 rows), h(64,), with 1 and with 2 workers. The data is
   generated on the workers; the client never holds it.
2. Communication: the median time of one full-batch evaluation on a tiny
   array (4 chunks of 16 rows, so that computing costs next to nothing) as
   the network grows from about 1k to 1M parameters, with the bytes that go
   out (the parameters, to every worker) and come back (a gradient per chunk).
3. A cost model fitted to those figures, extrapolated to 8 and 32 workers.
4. Streaming adam: rows per second of an epoch streamed from the cluster
   against the same fit in memory, on a 400,000 x 20 array; and the client's
   peak memory growth while it streams a 2,000,000 x 20 float64 lazy array
   (305 MiB) in chunks of 100,000 rows.

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
import warnings

import dask
import dask.array as da
import distributed
import numpy as np
import psutil
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.data.chunked import ChunkedData
from skxor.data.sum_tree import held_spans
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


def lbfgs_iteration(n_workers, n_rows, iterations):
    with cluster(n_workers) as local, distributed.Client(local):
        X, y = lazy_problem(n_rows, 50, 50_000)
        times = EndTimes()
        MLPBackpropClassifier((64,), solver="lbfgs", max_iter=iterations, random_state=0) \
            .set_callbacks(times).fit(X, y)
        return times.median_step()


def measure_lbfgs(args):
    n_rows = 200_000 if args.quick else 1_000_000
    iterations = 4 if args.quick else 8
    seconds = {workers: lbfgs_iteration(workers, n_rows, iterations) for workers in (1, 2)}
    print(f"\n### L-BFGS iteration, {n_rows:,} x 50, h(64,), chunks of 50,000 rows\n")
    print("| workers | s / iteration | speed-up |")
    print("|---|---|---|")
    for workers, value in seconds.items():
        print(f"| {workers} | {value:.3f} | {seconds[1] / value:.2f}x |")
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
            back = (params.nbytes + 8) * partial_sums_sent(data)
            rows.append((network.size, statistics.median(spent), out, back))
    print(f"\n### One evaluation's communication, {n_workers} workers, 4 chunks of 16 rows\n")
    print("| parameters | ms / evaluation | bytes out | bytes back |")
    print("|---|---|---|---|")
    for size, seconds, out, back in rows:
        print(f"| {size:,} | {seconds * 1e3:.1f} | {out:,} | {back:,} |")
    return rows, len(chunks), n_workers


def partial_sums_sent(data):
    """How many partial sums the workers send back per evaluation: their spans of the tree."""
    held = {}
    for index, holder in enumerate(data.holders):
        held.setdefault(holder, set()).add(index)
    return sum(len(held_spans(indices, len(data.chunks))) for indices in held.values())


def _tiny_chunk(X, y):
    from skxor.data.chunk import Chunk

    X = np.ascontiguousarray(X)
    return Chunk(X, y.reshape(-1, 1).astype(np.float64), None, y)


def cost_model(lbfgs_seconds, communication):
    """T(w) = C / w + a + b * B(w), from the measured figures.

    ``a`` and ``b`` are a straight line through the communication table
    (seconds against bytes moved); ``C`` is the one-worker iteration less
    its communication, the compute that ``w`` workers share. ``B(w) = 8 P
    (w + chunks)``: the parameters reach every worker, a gradient per chunk
    comes back. One evaluation per iteration is assumed (L-BFGS-B's line
    search mostly accepts its first step).
    """
    rows, _, _ = communication
    moved = np.array([out + back for _, _, out, back in rows], dtype=float)
    seconds = np.array([row[1] for row in rows])
    per_byte, fixed = np.polyfit(moved, seconds, 1)
    chunks, measured_parameters = 20, 3_329

    def communication_seconds(parameters, workers):
        return fixed + per_byte * 8 * parameters * (workers + max(chunks, workers))

    compute = lbfgs_seconds[1] - communication_seconds(measured_parameters, 1)
    print("\n### Cost model, extrapolated\n")
    print(f"T(w) = C / w + a + b * 8 P (w + chunks): C = {compute:.3f} s (the 1-worker "
          f"iteration less its communication), a = {fixed * 1e3:.1f} ms per evaluation, "
          f"b = {per_byte * 1e9:.2f} ns per byte moved; {chunks} chunks (at least one per "
          "worker).")
    print("\n| workers | P | predicted s / iteration | predicted speed-up |")
    print("|---|---|---|---|")
    for parameters in (measured_parameters, 1_000_000):
        single = compute + communication_seconds(parameters, 1)
        for workers in (1, 2, 8, 32):
            predicted = compute / workers + communication_seconds(parameters, workers)
            print(f"| {workers} | {parameters:,} | {predicted:.3f} | {single / predicted:.1f}x |")


def streamed_adam(args):
    n_rows = 100_000 if args.quick else 400_000
    epochs, rounds = (2, 1) if args.quick else (6, 3)
    params = {"hidden_layer_sizes": (64,), "max_iter": epochs, "random_state": 0,
              "tol": 0.0, "n_iter_no_change": epochs + 1}
    steps = {"streamed": [], "in memory": []}
    with cluster(2) as local, distributed.Client(local):
        X, y = lazy_problem(n_rows, 20, 50_000)
        X_host, y_host = X.compute(), y.compute()
        for _ in range(rounds):  # alternated, so that a noisy spell hits both alike
            for name, data in (("streamed", (X, y)), ("in memory", (X_host, y_host))):
                times = EndTimes()
                MLPBackpropClassifier(**params).set_callbacks(times).fit(*data)
                steps[name].append(times.median_step())
    streamed_rate = n_rows / statistics.median(steps["streamed"])
    memory_rate = n_rows / statistics.median(steps["in memory"])
    print(f"\n### Streaming adam, {n_rows:,} x 20, h(64,), chunks of 50,000 rows, 2 workers\n")
    print("| fit | rows / s | ratio |")
    print("|---|---|---|")
    print(f"| in memory | {memory_rate:,.0f} | 1.00 |")
    print(f"| streamed from the cluster | {streamed_rate:,.0f} | "
          f"{streamed_rate / memory_rate:.2f} |")


class PeakMemory:
    """The largest resident size this process reaches inside the block, sampled every 5 ms."""

    def __init__(self):
        self.process = psutil.Process()
        self.stop = threading.Event()

    def __enter__(self):
        gc.collect()
        self.baseline = self.peak = self.process.memory_info().rss
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

    def growth_mib(self):
        return (self.peak - self.baseline) / 2**20


def client_peak_memory(args):
    n_rows = 400_000 if args.quick else 2_000_000
    rows = []
    with cluster(2) as local, distributed.Client(local):
        X, y = lazy_problem(n_rows, 20, 100_000)
        for solver in ("adam", "lbfgs"):
            with PeakMemory() as memory:
                MLPBackpropClassifier((64,), solver=solver, max_iter=2, random_state=0).fit(X, y)
            rows.append((solver, memory.growth_mib()))
    size = n_rows * 20 * 8 / 2**20
    print(f"\n### Client peak memory growth, {n_rows:,} x 20 float64 ({size:.0f} MiB), "
          "chunks of 100,000 rows\n")
    print("| solver | peak growth (MiB) |")
    print("|---|---|")
    for solver, growth in rows:
        print(f"| {solver} | {growth:.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, fewer repeats")
    parser.add_argument("--only", choices=["lbfgs", "communication", "streaming", "memory"],
                        help="run one measurement (the cost model needs the first two)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    print(f"{os.cpu_count()} CPUs; workers are single-threaded processes on this machine.")
    wanted = {args.only} if args.only else {"lbfgs", "communication", "streaming", "memory"}
    lbfgs_seconds = measure_lbfgs(args) if "lbfgs" in wanted else None
    communication = measure_communication(args) if "communication" in wanted else None
    if lbfgs_seconds and communication:
        cost_model(lbfgs_seconds, communication)
    if "streaming" in wanted:
        streamed_adam(args)
    if "memory" in wanted:
        client_peak_memory(args)


if __name__ == "__main__":
    main()
