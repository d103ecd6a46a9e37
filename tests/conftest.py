"""Shared test set-up."""

import os
import warnings

import pytest

# Before SciPy is imported: lets sklearn's array-API estimator check run
# instead of skipping.
os.environ.setdefault("SCIPY_ARRAY_API", "1")


@pytest.fixture
def quiet_convergence():
    """Silence ConvergenceWarning: these tests train short on purpose."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.fixture
def fail_at_batch(monkeypatch):
    """``fail_at_batch(n, error=KeyboardInterrupt)``: the n-th training batch (from 1) raises.

    Counts every call of the network's loss and gradient, L-BFGS evaluations
    included, and returns the count so a test can see where training stopped.
    """
    from skxor.network.network import Network

    original = Network.loss_gradient

    def arm(n, error=KeyboardInterrupt):
        calls = {"count": 0}

        def loss_gradient(self, *args, **kwargs):
            calls["count"] += 1
            if calls["count"] == n:
                raise error
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Network, "loss_gradient", loss_gradient)
        return calls

    return arm


def local_cluster(n_workers, threads_per_worker=1):
    """A LocalCluster of worker processes with nannies, on loopback only."""
    import distributed

    return distributed.LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,
                                    processes=True,
                                    host="127.0.0.1", dashboard_address="127.0.0.1:0")


@pytest.fixture(scope="module")
def dask_client():
    """A client of a two-worker LocalCluster, for one test module."""
    distributed = pytest.importorskip("distributed")
    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        yield client
