"""A dask fit whose client loses the scheduler says so, and leaves the estimator as it was."""

import importlib
import subprocess
import sys
import time

import cloudpickle
import numpy as np
import pytest
from sklearn.datasets import make_classification

from skxor import MLPBackpropClassifier

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

pytestmark = [pytest.mark.dask, pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")]

cloudpickle.register_pickle_by_value(sys.modules[__name__])

X, Y = make_classification(n_samples=600, n_features=8, random_state=0)


def _started(arguments, scheduler_file):
    return subprocess.Popen([sys.executable, "-m", *arguments, "--scheduler-file",
                             str(scheduler_file), "--no-dashboard", "--host", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def doomed_cluster(tmp_path):
    """``(client, kill)``: a scheduler and two workers in processes of their own; ``kill()``
    kills the scheduler."""
    scheduler_file = tmp_path / "scheduler.json"
    scheduler = _started(["distributed.cli.dask_scheduler", "--port", "0"], scheduler_file)
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = _started(["distributed.cli.dask_worker", "--nworkers", "2", "--nthreads",
                            "1"], scheduler_file)
        with dask.config.set({"distributed.comm.timeouts.connect": "3s"}), \
                distributed.Client(scheduler_file=str(scheduler_file)) as client:
            client.wait_for_workers(2, timeout=60)
            yield client, scheduler.kill
    finally:
        for process in (workers, scheduler):
            if process is not None:
                process.kill()
                process.wait()


def killing_the_scheduler_at(monkeypatch, owner, method, call, kill):
    """Patch ``owner.method`` to kill the scheduler as it is called the ``call``-th time."""
    original, calls = getattr(owner, method), []

    def patched(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            kill()
            time.sleep(0.5)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, patched)


def weights_of(model):
    return [*model.coefs_, *model.intercepts_]


@pytest.mark.parametrize(("params", "killed_at", "where"), [
    ({"solver": "lbfgs"}, ("skxor.data.chunked:ChunkedData", "loss_gradient", 5),
     "loss evaluation 5 (solver='lbfgs')"),
    ({"solver": "adam"}, ("skxor.data.chunked:StreamedChunks", "blocks", 3), "epoch 3"),
    ({"solver": "adam"}, ("skxor.data.dask_inputs", "_labels_of", 1),
     "the validation of X's chunks"),
    ({"solver": "adam", "early_stopping": True},
     ("skxor.data.chunked:ChunkedData", "split_off", 1), "the set-up before the first epoch"),
])
def test_a_lost_scheduler_is_named_with_where_the_fit_was(doomed_cluster, monkeypatch,
                                                          params, killed_at, where):
    client, kill = doomed_cluster
    owner, method, call = killed_at
    module, _, name = owner.partition(":")
    owner = importlib.import_module(module)
    owner = getattr(owner, name) if name else owner
    clf = MLPBackpropClassifier((8,), max_iter=20, random_state=0, **params).fit(X, Y)
    before = [weights.copy() for weights in weights_of(clf)]
    killing_the_scheduler_at(monkeypatch, owner, method, call, kill)
    with pytest.raises(ConnectionError, match="lost its scheduler") as raised:
        clf.fit(da.from_array(X, chunks=150), da.from_array(Y, chunks=150))
    message = str(raised.value)
    assert where in message and "The estimator is unchanged" in message
    assert client.scheduler.address in message
    assert raised.value.__cause__ is not None
    for kept, held in zip(before, weights_of(clf), strict=True):
        np.testing.assert_array_equal(kept, held)
