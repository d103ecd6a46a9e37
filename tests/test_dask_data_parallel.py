"""dask_training="data_parallel": sgd and adam trained where the chunks are."""

import sys

import cloudpickle
import numpy as np
import pytest
from conftest import local_cluster
from sklearn.datasets import make_classification

from skxor import MLPBackpropClassifier

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")

pytestmark = [pytest.mark.dask, pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")]

cloudpickle.register_pickle_by_value(sys.modules[__name__])

X, Y = make_classification(n_samples=600, n_features=8, n_informative=5, n_classes=3,
                           random_state=0)


def lazy(array, chunk=150):
    return da.from_array(array, chunks=(chunk,) + array.shape[1:])


def data_parallel(**params):
    return MLPBackpropClassifier(**{"hidden_layer_sizes": (16,), "max_iter": 15,
                                    "random_state": 0, "dask_training": "data_parallel",
                                    **params})


def weights_of(model):
    return [*model.coefs_, *model.intercepts_]


def test_data_parallel_adam_is_bit_identical_whatever_the_workers():
    weights = []
    for n_workers in (1, 2):
        with local_cluster(n_workers) as cluster, distributed.Client(cluster):
            weights.append(weights_of(data_parallel().fit(lazy(X), lazy(Y))))
    for a, b in zip(*weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_one_chunk_in_order_trains_the_batches_of_the_fit_in_memory(dask_client):
    """600 rows in batches of 200: the three slices of the one chunk are memory's batches."""
    params = {"solver": "sgd", "shuffle": False, "batch_size": 200}
    on_dask = data_parallel(**params).fit(lazy(X, len(X)), lazy(Y, len(X)))
    in_memory = data_parallel(**params).fit(X, Y)
    for a, b in zip(weights_of(on_dask), weights_of(in_memory), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert on_dask.loss_curve_ == pytest.approx(in_memory.loss_curve_, rel=1e-12)


def test_a_data_parallel_epoch_takes_a_batch_size_of_rows_a_step(dask_client):
    clf = data_parallel(solver="sgd", warmup=2, learning_rate_init=0.1).fit(lazy(X), lazy(Y))
    assert clf.learning_rate_curve_[:3] == pytest.approx([0.1 / 6, 0.1 * 4 / 6, 0.1],
                                                         abs=1e-15)
    assert clf.t_ == 15 * len(X)


def test_data_parallel_adam_learns_as_well_as_in_memory(dask_client):
    on_dask = data_parallel(max_iter=100).fit(lazy(X), lazy(Y))
    in_memory = data_parallel(max_iter=100).fit(X, Y)
    assert on_dask.score(X, Y) > in_memory.score(X, Y) - 0.05


def test_data_parallel_early_stopping_scores_held_out_rows(dask_client):
    clf = data_parallel(early_stopping=True, max_iter=30).fit(lazy(X), lazy(Y))
    assert len(clf.validation_scores_) == clf.n_iter_
    assert 0.5 < clf.best_validation_score_ <= 1


def test_data_parallel_refuses_dropout_naming_both(dask_client):
    with pytest.raises(ValueError, match="dask_training='data_parallel' trains without dropout"):
        data_parallel(dropout=0.2).fit(lazy(X), lazy(Y))


def test_a_step_whose_rows_all_weigh_nothing_is_skipped(dask_client, monkeypatch):
    """Without shuffling, step 0 takes rows 0 to 49 of every 150-row chunk: all weightless."""
    from skxor.training.update_rules.base import UpdateRule

    skips, skip = [], UpdateRule.skip_step
    monkeypatch.setattr(UpdateRule, "skip_step", lambda rule: skips.append(1) or skip(rule))
    weights = np.ones(len(X))
    weights[(np.arange(len(X)) % 150) < 50] = 0.0
    clf = data_parallel(solver="sgd", shuffle=False, max_iter=4).fit(
        lazy(X), lazy(Y), sample_weight=lazy(weights))
    assert len(skips) == 4  # one step an epoch
    assert np.isfinite(clf.loss_curve_).all()
