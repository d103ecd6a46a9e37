"""
Spread a grid search over a Dask cluster
========================================

A grid search is many independent fits. joblib's Dask backend hands them to the workers of a
Dask cluster, and nothing in skxor or in the search changes: the same code runs on a laptop
and on a cluster of machines. This example runs one search serially, then on a local cluster
of two worker processes, checks that both give the same scores, and draws which worker ran
which fit when.

Needs ``pip install ".[dask]"``.
"""

# %%
# The search: a scaler + network pipeline on 1,000 noisy moons, two hidden sizes by three
# learning rates with 5-fold cross-validation, so 30 fits. ``search`` makes a fresh one, so
# that each run starts from scratch. 100 epochs are too few for the smallest rate, which would
# warn that it did not converge; the scores show it, so the warnings are silenced.
import importlib
import time
import warnings

import matplotlib.pyplot as plt
from distributed import Client, LocalCluster, get_task_stream
from joblib import parallel_backend
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

X, y = make_moons(n_samples=1000, noise=0.25, random_state=0)
GRID = {"mlpbackpropclassifier__hidden_layer_sizes": [(16,), (64,)],
        "mlpbackpropclassifier__learning_rate_init": [0.003, 0.01, 0.03]}
N_FITS = 5 * 2 * 3


def search(n_jobs):
    return GridSearchCV(make_pipeline(StandardScaler(),
                                      MLPBackpropClassifier(max_iter=100, random_state=0)),
                        GRID, cv=5, n_jobs=n_jobs)


def timed_fit(searcher):
    """Fit the search; return its wall time in seconds."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        searcher.fit(X, y)
    return time.perf_counter() - start


# %%
# First serially, one fit after another (``n_jobs=1``).
#
# Dask starts each worker as a new Python process. When this file runs as a script, those
# processes import it to find the functions above, so the code that fits or starts a cluster
# sits under ``if __name__ == "__main__":``, which keeps the imports from running it again.
# (In a notebook the guard is always true.)
if __name__ == "__main__":
    serial = search(n_jobs=1)
    serial_seconds = timed_fit(serial)
    print(f"serial (n_jobs=1): {N_FITS} fits in {serial_seconds:.1f} s")

# %%
# Then on a local cluster: two worker processes of one thread each on this machine, with the
# dashboard on a free port of 127.0.0.1, so that it never clashes with another cluster's.
# Each worker imports skxor before the clock starts, as the workers of a long-running cluster
# have long done. Inside ``parallel_backend("dask")``, ``n_jobs=-1`` hands the fits to the
# cluster's workers, and ``get_task_stream`` records where and when each task ran. On a real
# cluster, connect with ``Client("tcp://SCHEDULER:8786")`` instead of starting a
# ``LocalCluster``; the rest stays the same. The cross-validation scores equal the serial
# run's: each fit draws its random numbers from its own ``random_state``, wherever it runs.
if __name__ == "__main__":
    with (LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                       dashboard_address="127.0.0.1:0") as cluster,
          Client(cluster) as client):
        client.run(importlib.import_module, "skxor")
        on_dask = search(n_jobs=-1)
        with parallel_backend("dask"), get_task_stream() as stream:
            dask_seconds = timed_fit(on_dask)
        n_workers = len(client.scheduler_info()["workers"])
    print(f"dask ({n_workers} workers): {N_FITS} fits in {dask_seconds:.1f} s")
    same = (on_dask.cv_results_["mean_test_score"]
            == serial.cv_results_["mean_test_score"]).all()
    print(f"same CV scores as the serial run: {same}")
    print(f"best parameters: {on_dask.best_params_}, mean CV accuracy {on_dask.best_score_:.3f}")

# %%
# The task stream as a timeline: one row per worker, one bar per task, where joblib sends the
# fits in batches of one or more. Both workers are busy side by side until the last batch.
# Whether that beats the serial run depends on free cores: these fits take tens of
# milliseconds each, so the cost of sending each task counts, and on a machine that other
# jobs keep busy, as the one that built this page may be, two workers gain little or nothing.
# :doc:`/guide/dask` says more about running on a cluster.
if __name__ == "__main__":
    tasks = [task for task in stream.data if "_fit_and_score" in task["key"]]
    workers = sorted({task["worker"] for task in tasks})
    spans = [(workers.index(task["worker"]), part["start"], part["stop"])
             for task in tasks for part in task["startstops"] if part["action"] == "compute"]
    t0 = min(start for _, start, _ in spans)
    figure, axes = plt.subplots(figsize=(9, 3.2))
    for row, start, stop in spans:
        axes.broken_barh([(start - t0, stop - start)], (row - 0.35, 0.7), color="tab:blue",
                         edgecolor="white")
    axes.set_yticks(range(len(workers)), [f"worker {i + 1}" for i in range(len(workers))])
    axes.set_xlabel("seconds since the first fit started")
    axes.set_title(f"{N_FITS} cross-validation fits on a two-worker Dask cluster "
                   f"({len(tasks)} tasks)")
    figure.tight_layout()
    plt.show()
