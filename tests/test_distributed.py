"""Grid search across a Dask cluster, and one BLAS thread per worker process."""

import sys

import cloudpickle
import numpy as np
import pytest
from joblib import Parallel, delayed, parallel_backend
from sklearn.datasets import make_moons
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info

from skxor import MLPBackpropClassifier

distributed = pytest.importorskip("distributed")

pytestmark = [pytest.mark.dask, pytest.mark.slow]

# Worker processes cannot import this test module; ship its functions by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

X, Y = make_moons(n_samples=300, noise=0.2, random_state=0)
GRID = {"mlpbackpropclassifier__hidden_layer_sizes": [(2,), (8,), (32,)],
        "mlpbackpropclassifier__learning_rate_init": [0.001, 0.01, 0.1]}


def grid_search():
    pipeline = make_pipeline(StandardScaler(),
                             MLPBackpropClassifier(max_iter=50, random_state=0))
    return GridSearchCV(pipeline, GRID, cv=3)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_grid_search_on_dask_scores_as_a_serial_run(dask_client):
    serial = grid_search().fit(X, Y)
    with distributed.get_task_stream(dask_client) as tasks:
        with parallel_backend("dask"):
            on_dask = grid_search().set_params(n_jobs=-1).fit(X, Y)
    for key in ["mean_test_score", *(f"split{i}_test_score" for i in range(3))]:
        np.testing.assert_array_equal(on_dask.cv_results_[key], serial.cv_results_[key])
    workers = set(dask_client.scheduler_info()["workers"])
    used = {task["worker"] for task in tasks.data}
    assert used == workers


class BlasThreadProbe(MLPBackpropClassifier):
    """Records how many threads each BLAS library has while fit runs."""

    def fit(self, X, y, sample_weight=None):
        self.blas_threads_ = [pool["num_threads"] for pool in threadpool_info()
                              if pool["user_api"] == "blas"]
        return super().fit(X, y, sample_weight)


def blas_threads_inside_a_fit():
    probe = BlasThreadProbe(hidden_layer_sizes=(4,), max_iter=5).fit(X, Y)
    return probe.blas_threads_


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_fit_on_a_dask_worker_uses_one_blas_thread(dask_client):
    futures = [dask_client.submit(blas_threads_inside_a_fit, pure=False, workers=[worker])
               for worker in dask_client.scheduler_info()["workers"]]
    for threads in dask_client.gather(futures):
        assert threads and set(threads) == {1}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_fit_in_a_joblib_process_worker_uses_one_blas_thread():
    results = Parallel(n_jobs=2, backend="loky")(
        delayed(blas_threads_inside_a_fit)() for _ in range(2))
    for threads in results:
        assert threads and set(threads) == {1}
