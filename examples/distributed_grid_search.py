"""Grid search across a Dask cluster, timed against a serial run
=============================================================

Runs the same GridSearchCV over a StandardScaler + MLPBackpropClassifier
pipeline twice: serially (n_jobs=1), then through joblib's Dask backend on a
cluster, and prints the best parameters and both wall times. Without
--scheduler it starts a LocalCluster of two single-threaded worker processes
on this machine (loopback only); with --scheduler tcp://HOST:PORT it uses
that cluster instead.

Run: ``python examples/distributed_grid_search.py [--scheduler ADDRESS]``
Needs: pip install ".[dask]"
"""

import argparse
import time
import warnings
from contextlib import ExitStack

from distributed import Client, LocalCluster
from joblib import parallel_backend
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

GRID = {"mlpbackpropclassifier__hidden_layer_sizes": [(8,), (32,), (64,), (128,)],
        "mlpbackpropclassifier__learning_rate_init": [0.001, 0.003, 0.01, 0.03]}


def timed_search(X, y, n_jobs):
    """Fit the grid search; return it and its wall time in seconds."""
    pipeline = make_pipeline(StandardScaler(),
                             MLPBackpropClassifier(max_iter=100, random_state=0))
    search = GridSearchCV(pipeline, GRID, cv=5, n_jobs=n_jobs)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # 100 epochs is short for the small learning rates; the scores show it
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    return search, time.perf_counter() - start


def main(scheduler):
    X, y = make_moons(n_samples=2000, noise=0.25, random_state=0)
    n_fits = 5 * len(GRID["mlpbackpropclassifier__hidden_layer_sizes"]) * len(
        GRID["mlpbackpropclassifier__learning_rate_init"])
    serial, serial_time = timed_search(X, y, n_jobs=1)
    print(f"serial (n_jobs=1): {n_fits} fits in {serial_time:.1f} s")
    with ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(LocalCluster(
                n_workers=2, threads_per_worker=1, host="127.0.0.1",
                dashboard_address="127.0.0.1:0"))
            scheduler = cluster.scheduler_address
        client = stack.enter_context(Client(scheduler))
        n_workers = len(client.scheduler_info()["workers"])
        with parallel_backend("dask"):
            on_dask, dask_time = timed_search(X, y, n_jobs=-1)
    print(f"dask ({n_workers} workers at {scheduler}): {n_fits} fits in {dask_time:.1f} s, "
          f"{serial_time / dask_time:.2f}x the serial speed")
    same = (on_dask.cv_results_["mean_test_score"]
            == serial.cv_results_["mean_test_score"]).all()
    print(f"same CV scores as the serial run: {same}")
    print(f"best parameters: {on_dask.best_params_}, "
          f"mean CV accuracy {on_dask.best_score_:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    main(parser.parse_args().scheduler)
