"""Fits on dask arrays and DataFrames, on a LocalCluster: exact L-BFGS, streamed sgd/adam."""

import importlib.util
import os
import signal
import sys
import time
import warnings

import cloudpickle
import numpy as np
import pytest
from callback_protocol import SilentCallback
from conftest import local_cluster
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier, MLPBackpropRegressor

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")

needs_callbacks = pytest.mark.skipif(importlib.util.find_spec("sklearn.callback") is None,
                                     reason="callbacks need scikit-learn >= 1.9")
pytestmark = [pytest.mark.dask,
              pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")]

# Worker processes cannot import this test module; ship its functions by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

X, Y = make_classification(n_samples=600, n_features=8, n_informative=5, n_classes=3,
                           random_state=0)
X_REG, Y_REG = make_regression(n_samples=600, n_features=8, noise=1.0, random_state=0)
Y_REG /= Y_REG.std()
CHUNK = 150


def lazy(array, chunk=CHUNK):
    return da.from_array(array, chunks=(chunk,) + array.shape[1:])


def classifier(**params):
    return MLPBackpropClassifier(**{"hidden_layer_sizes": (16,), "max_iter": 40,
                                    "random_state": 0, **params})


def weights_of(model):
    return [*model.coefs_, *model.intercepts_]


def assert_same_weights(left, right):
    for a, b in zip(weights_of(left), weights_of(right), strict=True):
        np.testing.assert_array_equal(a, b)


def test_lbfgs_on_chunks_matches_the_fit_in_memory(dask_client):
    on_dask = classifier(solver="lbfgs").fit(lazy(X), lazy(Y))
    in_memory = classifier(solver="lbfgs").fit(X, Y)
    assert on_dask.n_iter_ == in_memory.n_iter_ == 40
    for a, b in zip(weights_of(on_dask), weights_of(in_memory), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert on_dask.loss_curve_ == pytest.approx(in_memory.loss_curve_, rel=1e-12)


@pytest.mark.slow
def test_lbfgs_regression_on_chunks_matches_the_fit_in_memory(dask_client):
    params = {"solver": "lbfgs", "max_iter": 30, "alpha": 1e-3, "random_state": 0}
    on_dask = MLPBackpropRegressor(**params).fit(lazy(X_REG), lazy(Y_REG))
    in_memory = MLPBackpropRegressor(**params).fit(X_REG, Y_REG)
    assert on_dask.n_iter_ == in_memory.n_iter_
    for a, b in zip(weights_of(on_dask), weights_of(in_memory), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.slow
def test_quantile_levels_on_chunks_match_the_fit_in_memory(dask_client):
    params = {"loss": "quantile", "quantile": [0.1, 0.5, 0.9], "solver": "lbfgs",
              "max_iter": 20, "random_state": 0}
    on_dask = MLPBackpropRegressor(**params).fit(lazy(X_REG), lazy(Y_REG))
    in_memory = MLPBackpropRegressor(**params).fit(X_REG, Y_REG)
    for a, b in zip(weights_of(on_dask), weights_of(in_memory), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    predicted = on_dask.predict(lazy(X_REG))
    assert isinstance(predicted, da.Array) and predicted.shape == (len(X_REG), 3)
    np.testing.assert_allclose(predicted.compute(), on_dask.predict(X_REG), rtol=1e-12)
    assert on_dask.score(lazy(X_REG), lazy(Y_REG)) == pytest.approx(
        on_dask.score(X_REG, Y_REG))


@pytest.mark.slow
def test_lbfgs_on_chunks_is_bit_identical_whatever_the_workers(dask_client):
    """One worker, two, and one with two threads (whose chunks its actor computes at once on
    one network, each thread with its own copy)."""
    weights = []
    for n_workers, threads in ((1, 1), (2, 1), (1, 2)):
        with local_cluster(n_workers, threads) as cluster, distributed.Client(cluster):
            weights.append(weights_of(classifier(solver="lbfgs").fit(lazy(X), lazy(Y))))
    for other in weights[1:]:
        for a, b in zip(weights[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


def transferred_keys(client):
    """Every key a worker of ``client`` has fetched from another."""
    logs = client.run(lambda dask_worker: list(dask_worker.transfer_incoming_log))
    return {str(key) for log in logs.values() for entry in log for key in entry["keys"]}


@pytest.mark.slow
def test_each_lbfgs_evaluation_runs_where_its_chunks_are(dask_client):
    """One resident actor per worker evaluates its chunks; no block of X moves to another worker."""
    with distributed.get_task_stream(dask_client) as tasks:
        before = transferred_keys(dask_client)
        classifier(solver="lbfgs", max_iter=5).fit(lazy(X), lazy(Y))
        moved = transferred_keys(dask_client) - before
    actors = [task for task in tasks.data if "ChunkSums" in str(task["key"])]
    assert sorted(task["worker"] for task in actors) == sorted(dask_client.nthreads())
    assert not [key for key in moved if not key.startswith("_as_is")]  # but the targets


@pytest.mark.slow
def test_the_chunks_of_X_are_submitted_in_one_graph_per_worker(dask_client, monkeypatch):
    """Each worker's run at once, not one submission per chunk (each carried X's graph)."""
    submitted = []
    compute = distributed.Client.compute

    def recording(self, collections, *args, **kwargs):
        submitted.append(len(collections) if isinstance(collections, list) else 1)
        return compute(self, collections, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "compute", recording)
    classifier(solver="lbfgs", max_iter=2).fit(lazy(X), lazy(Y))
    assert submitted == [len(X) // CHUNK // 2] * 2


@pytest.mark.slow
def test_the_client_lets_each_validated_chunk_go_once_it_is_encoded(dask_client, monkeypatch):
    """The two share X's rows, which Dask would count twice against the workers' memory."""
    from skxor.data import dask_inputs

    still_wanted = []
    init = dask_inputs.ChunkedData.__init__

    def recording(self, client, *args, **kwargs):
        init(self, client, *args, **kwargs)  # which waits for every chunk to be encoded
        still_wanted.append([key for key in client.refcount if "_checked_chunk" in str(key)])

    monkeypatch.setattr(dask_inputs.ChunkedData, "__init__", recording)
    classifier(solver="lbfgs", max_iter=2).fit(lazy(X), lazy(Y))
    assert still_wanted == [[]]


def actors_on_the_workers(client):
    return sum(client.run(lambda dask_worker: len(dask_worker.state.actors)).values())


def keys_on_the_workers(client):
    return sum(len(keys) for keys in client.has_what().values())


@pytest.mark.slow
@pytest.mark.parametrize("params", [{"solver": "lbfgs"}, {"dask_training": "data_parallel"},
                                    {"solver": "adam", "early_stopping": True}])
def test_the_workers_drop_the_fits_chunks_and_actors_when_it_ends(dask_client, params):
    import gc

    gc.collect()
    gc.disable()  # they must go at the end of the fit, not at a garbage collection
    try:
        keys_before = keys_on_the_workers(dask_client)
        classifier(max_iter=3, **params).fit(lazy(X), lazy(Y))
        deadline = time.monotonic() + 10  # the client tells the scheduler a moment later
        while ((actors_on_the_workers(dask_client)
                or keys_on_the_workers(dask_client) > keys_before)
               and time.monotonic() < deadline):
            time.sleep(0.1)
        assert actors_on_the_workers(dask_client) == 0
        assert keys_on_the_workers(dask_client) <= keys_before
    finally:
        gc.enable()


@pytest.mark.slow
def test_streamed_adam_is_reproducible(dask_client):
    first = classifier(solver="adam").fit(lazy(X), lazy(Y))
    second = classifier(solver="adam").fit(lazy(X), lazy(Y))
    assert_same_weights(first, second)
    assert first.loss_curve_ == second.loss_curve_


@pytest.mark.slow
def test_streamed_chunks_train_alike_fetched_one_by_one_or_in_groups(dask_client, monkeypatch):
    from skxor.data.chunked import StreamedChunks

    group_sizes = []
    gathered = StreamedChunks._gathered

    def recording(self, indices):
        group_sizes.append(len(indices))
        return gathered(self, indices)

    monkeypatch.setattr(StreamedChunks, "_gathered", recording)
    monkeypatch.setattr(StreamedChunks, "FETCH_BYTES", 1)
    one_by_one = classifier(solver="adam", max_iter=3).fit(lazy(X), lazy(Y))
    assert group_sizes == [1] * 12
    group_sizes.clear()
    monkeypatch.setattr(StreamedChunks, "FETCH_BYTES", 2 * CHUNK * (X.shape[1] + 3 + 2) * 8)
    grouped = classifier(solver="adam", max_iter=3).fit(lazy(X), lazy(Y))
    assert group_sizes == [1, 2, 1] * 3  # 4 chunks an epoch, at most 2 a group, for 3 epochs
    assert_same_weights(one_by_one, grouped)
    assert one_by_one.loss_curve_ == grouped.loss_curve_


@pytest.mark.slow
@pytest.mark.parametrize("dtype", [object, str])
def test_streamed_chunks_leave_their_text_labels_on_the_workers(dask_client, monkeypatch,
                                                                 dtype):
    """Training on the client never reads them; text labels would travel every epoch."""
    from skxor.data.chunked import StreamedChunks

    labels_sent = []
    gathered = StreamedChunks._gathered

    def recording(self, indices):
        chunks = self.data.client.gather([self.data.chunks[index] for index in indices])
        labels_sent.extend(chunk.labels for chunk in chunks)
        return gathered(self, indices)

    monkeypatch.setattr(StreamedChunks, "_gathered", recording)
    text = np.array(["one", "two", "three"], dtype=dtype)[Y]
    clf = classifier(solver="adam", max_iter=3, early_stopping=True,
                     scoring="accuracy").fit(lazy(X), lazy(text))
    assert labels_sent and all(labels is None for labels in labels_sent)
    # the held-out rows kept their labels, which the accuracy compares predictions with
    assert len(clf.validation_scores_) == 3 and 0 < clf.validation_scores_[-1] <= 1
    assert set(clf.predict(X)) <= {"one", "two", "three"}


@pytest.mark.slow
def test_streaming_one_chunk_in_order_is_the_fit_in_memory(dask_client):
    """Without shuffling, one chunk streams exactly the batches a fit in memory trains on."""
    on_dask = classifier(solver="sgd", shuffle=False).fit(lazy(X, len(X)), lazy(Y, len(X)))
    in_memory = classifier(solver="sgd", shuffle=False).fit(X, Y)
    assert_same_weights(on_dask, in_memory)
    assert on_dask.loss_curve_ == in_memory.loss_curve_


@pytest.mark.slow
def test_streaming_one_chunk_with_the_training_toolkit_is_the_fit_in_memory(dask_client):
    toolkit = dict(solver="sgd", shuffle=False, lr_schedule="cosine", warmup=2,
                   weight_decay=0.01, max_grad_norm=0.5, dtype="float32")
    on_dask = classifier(**toolkit).fit(lazy(X, len(X)), lazy(Y, len(X)))
    in_memory = classifier(**toolkit).fit(X, Y)
    assert on_dask.coefs_[0].dtype == np.float32
    assert_same_weights(on_dask, in_memory)
    assert on_dask.learning_rate_curve_ == in_memory.learning_rate_curve_


@pytest.mark.slow
def test_a_streamed_epoch_counts_the_batches_of_every_chunk(dask_client):
    # 4 chunks of 150 rows in batches of 200: 4 batches an epoch (3 in memory)
    clf = classifier(solver="sgd", warmup=2, learning_rate_init=0.1).fit(lazy(X), lazy(Y))
    assert clf.learning_rate_curve_[:3] == pytest.approx([0.1 / 8, 0.1 * 5 / 8, 0.1],
                                                         abs=1e-15)


@pytest.mark.slow
def test_streamed_adam_learns_as_well_as_in_memory(dask_client):
    on_dask = classifier(solver="adam", max_iter=100).fit(lazy(X), lazy(Y))
    in_memory = classifier(solver="adam", max_iter=100).fit(X, Y)
    assert on_dask.score(X, Y) > in_memory.score(X, Y) - 0.05
    assert on_dask.t_ == 100 * len(X)


def test_streamed_early_stopping_holds_out_rows_of_each_chunk(dask_client):
    clf = classifier(solver="adam", early_stopping=True, n_iter_no_change=3, max_iter=500,
                     tol=1e-3).fit(lazy(X), lazy(Y))
    assert clf.n_iter_ < 500
    assert len(clf.validation_scores_) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.t_ == clf.n_iter_ * (len(X) - 4 * 15)  # ceil(0.1 * 150) held out per chunk


@pytest.mark.slow
@pytest.mark.parametrize("scoring", ["loss", "balanced_accuracy"])
def test_streamed_early_stopping_scores_by_scoring(dask_client, scoring):
    clf = classifier(solver="adam", early_stopping=True, max_iter=5, scoring=scoring)
    clf.fit(lazy(X), lazy(Y))
    assert len(clf.validation_scores_) == 5
    if scoring == "loss":
        assert clf.validation_scores_ == [-loss for loss in clf.validation_loss_curve_]
    else:
        assert 0 < clf.validation_scores_[-1] <= 1


@pytest.mark.slow
def test_streamed_fit_prints_its_epochs(dask_client, capsys):
    classifier(solver="adam", max_iter=3, verbose=True).fit(lazy(X), lazy(Y))
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == ["Iteration 1", "Iteration 2",
                                                      "Iteration 3"]


class StopAtEpoch(SilentCallback):
    def __init__(self, epoch):
        self.epoch, self.seen = epoch, 0

    def on_fit_task_end(self, estimator, context, **kwargs):
        if context.task_name == "epoch":
            self.seen += 1
            return self.seen == self.epoch
        return False


@pytest.mark.slow
@needs_callbacks
def test_a_callback_stops_a_streamed_fit(dask_client):
    clf = classifier(solver="adam").set_callbacks(StopAtEpoch(3)).fit(lazy(X), lazy(Y))
    assert clf.n_iter_ == 3


@pytest.mark.slow
def test_ctrl_c_ends_a_streamed_fit_with_the_epochs_so_far(dask_client, fail_at_batch):
    batches_per_chunk = 1  # batch_size="auto" is 200 rows; each chunk has 150
    fail_at_batch(2 * 4 * batches_per_chunk + 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = classifier(solver="adam").fit(lazy(X), lazy(Y))
    assert [str(w.message) for w in caught] == ["Training interrupted by user."]
    assert clf.n_iter_ == 2 and len(clf.loss_curve_) == 2


@pytest.mark.parametrize("method", ["predict", "predict_proba", "predict_log_proba"])
def test_prediction_on_a_dask_array_is_lazy_and_matches_numpy(dask_client, method):
    """Block by block on single-threaded workers: BLAS may round the last bit otherwise."""
    clf = classifier(solver="lbfgs", max_iter=10).fit(X, Y)
    result = getattr(clf, method)(lazy(X))
    assert isinstance(result, da.Array)
    np.testing.assert_allclose(result.compute(), getattr(clf, method)(X), rtol=1e-12,
                               atol=1e-14)


@pytest.mark.slow
def test_score_on_dask_arrays_computes_the_in_memory_score(dask_client):
    clf = classifier(solver="lbfgs", max_iter=10).fit(X, Y)
    assert clf.score(lazy(X), lazy(Y)) == clf.score(X, Y)
    reg = MLPBackpropRegressor(solver="lbfgs", max_iter=10, random_state=0).fit(X_REG, Y_REG)
    assert reg.score(lazy(X_REG), lazy(Y_REG)) == pytest.approx(reg.score(X_REG, Y_REG))


@pytest.mark.slow
def test_classes_come_from_every_chunk(dask_client):
    labels = np.where(np.arange(len(X)) < 590, Y, 7)  # class 7 only in the last chunk
    clf = classifier(solver="lbfgs", max_iter=2).fit(lazy(X), lazy(labels))
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2, 7])


@pytest.mark.slow
def test_text_labels_train_and_predict(dask_client):
    names = np.array(["ant", "bee", "cat"])[Y]
    clf = classifier(solver="lbfgs", max_iter=5).fit(lazy(X), lazy(names))
    assert list(clf.classes_) == ["ant", "bee", "cat"]
    assert set(clf.predict(lazy(X)).compute()) <= {"ant", "bee", "cat"}


@pytest.mark.slow
def test_balanced_class_weight_counts_every_chunk(dask_client):
    labels = np.where(np.arange(len(X)) < 450, 0, 1)  # the last chunk alone holds class 1
    params = {"solver": "lbfgs", "max_iter": 10, "class_weight": "balanced"}
    on_dask = classifier(**params).fit(lazy(X), lazy(labels))
    in_memory = classifier(**params).fit(X, labels)
    for a, b in zip(weights_of(on_dask), weights_of(in_memory), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.slow
def test_sample_weights_on_chunks_match_in_memory(dask_client):
    weights = np.random.RandomState(0).uniform(0, 2, len(X))
    weights[:CHUNK] = 0  # a chunk that weighs nothing
    on_dask = classifier(solver="lbfgs", max_iter=10).fit(lazy(X), lazy(Y), lazy(weights))
    in_memory = classifier(solver="lbfgs", max_iter=10).fit(X, Y, weights)
    for a, b in zip(weights_of(on_dask), weights_of(in_memory), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.slow
def test_float32_chunks_train_in_float32(dask_client):
    on_dask = classifier(solver="lbfgs", max_iter=10).fit(lazy(X.astype(np.float32)), lazy(Y))
    in_memory = classifier(solver="lbfgs", max_iter=10).fit(X.astype(np.float32), Y)
    assert on_dask.coefs_[0].dtype == np.float32
    np.testing.assert_allclose(on_dask.coefs_[0], in_memory.coefs_[0], rtol=1e-3, atol=1e-4)


@pytest.mark.slow
def test_a_validation_set_in_memory_scores_a_dask_fit(dask_client):
    clf = classifier(solver="adam", max_iter=5).fit(lazy(X), lazy(Y), X_val=X[:100],
                                                    y_val=Y[:100])
    assert len(clf.validation_scores_) == 5
    assert clf.validation_scores_[-1] == clf.score(X[:100], Y[:100])


@pytest.mark.slow
def test_empty_chunks_are_left_out(dask_client):
    with_empty = da.from_array(X, chunks=((0, *[CHUNK] * 4), (8,)))  # a first chunk of no rows
    clf = classifier(solver="lbfgs", max_iter=5).fit(with_empty, Y)
    expected = classifier(solver="lbfgs", max_iter=5).fit(lazy(X), lazy(Y))
    assert_same_weights(clf, expected)


@pytest.mark.slow
def test_class_weights_of_zero_for_a_chunks_only_class(dask_client):
    labels = np.where(np.arange(len(X)) < 450, Y % 2, 2)  # class 2 alone in the last chunk
    params = {"solver": "lbfgs", "max_iter": 10, "class_weight": {0: 1.0, 1: 2.0, 2: 0.0}}
    on_dask = classifier(**params).fit(lazy(X), lazy(labels))
    in_memory = classifier(**params).fit(X, labels)
    for a, b in zip(weights_of(on_dask), weights_of(in_memory), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.slow
def test_multilabel_targets_on_dask_say_they_train_in_memory(dask_client):
    indicator = np.stack([Y == 0, Y == 1], axis=1).astype(int)
    with pytest.raises(ValueError, match=r"multilabel indicator targets train in memory"):
        classifier(solver="lbfgs").fit(lazy(X), lazy(indicator))


@pytest.mark.slow
def test_check_gradients_asks_for_data_in_memory(dask_client):
    from skxor import check_gradients

    with pytest.raises(TypeError, match=r"X\.compute\(\)"):
        check_gradients(classifier(), lazy(X), lazy(Y))


@pytest.mark.slow
@pytest.mark.parametrize(("corrupt", "message"), [
    (lambda X, y, w: (_with(X, (555, 3), np.nan), y, w),
     r"Input X contains NaN"),
    (lambda X, y, w: (X, y, _with(w, 590, -1.0)), r"sample_weight must be non-negative"),
    (lambda X, y, w: (X, y + 0.5, w), r"Unknown label type: 'continuous'"),
])
def test_a_bad_value_in_any_chunk_raises_the_in_memory_error(dask_client, corrupt, message):
    bad_X, bad_y, bad_w = corrupt(X, Y, np.ones(len(X)))
    clf = classifier(solver="lbfgs")
    with pytest.raises(ValueError, match=message):
        clf.fit(lazy(bad_X), lazy(bad_y), lazy(bad_w))
    assert not hasattr(clf, "coefs_")


def _with(array, index, value):
    changed = array.copy()
    changed[index] = value
    return changed


@pytest.mark.slow
def test_a_warm_start_on_chunks_checks_the_width(dask_client):
    clf = classifier(solver="lbfgs", max_iter=2, warm_start=True).fit(lazy(X), lazy(Y))
    with pytest.raises(ValueError, match=r"X has 7 features.*expecting 8 features"):
        clf.fit(lazy(X[:, :7]), lazy(Y))


@pytest.mark.slow
def test_unknown_chunk_sizes_are_computed_and_lined_up(dask_client):
    kept = lazy(X)[lazy(X)[:, 0] > -np.inf]  # a filter: nan chunk sizes
    assert np.isnan(kept.chunks[0][0])
    on_filtered = classifier(solver="lbfgs", max_iter=10).fit(kept, Y)
    on_chunks = classifier(solver="lbfgs", max_iter=10).fit(lazy(X), lazy(Y))
    assert_same_weights(on_filtered, on_chunks)


@pytest.mark.slow
def test_y_chunked_unlike_X_is_rechunked(dask_client):
    on_odd = classifier(solver="lbfgs", max_iter=10).fit(lazy(X), lazy(Y, 97))
    on_chunks = classifier(solver="lbfgs", max_iter=10).fit(lazy(X), lazy(Y))
    assert_same_weights(on_odd, on_chunks)


@pytest.mark.slow
def test_y_of_another_length_is_refused(dask_client):
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[600, 599\]"):
        classifier(solver="lbfgs").fit(lazy(X), lazy(Y[:-1]))


@pytest.mark.slow
def test_partial_fit_on_a_dask_array_points_to_fit_and_incremental(dask_client):
    with pytest.raises(TypeError, match=r"dask_ml\.wrappers\.Incremental"):
        classifier(solver="adam").partial_fit(lazy(X), lazy(Y), classes=[0, 1, 2])


@pytest.mark.slow
def test_a_dask_dataframe_names_the_features(dask_client):
    dd = pytest.importorskip("dask.dataframe")
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(X, columns=[f"f{i}" for i in range(8)])
    lazy_frame = dd.from_pandas(frame, npartitions=4)
    clf = classifier(solver="lbfgs", max_iter=10).fit(lazy_frame, dd.from_pandas(
        pandas.Series(Y), npartitions=4))
    assert list(clf.feature_names_in_) == list(frame.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        predicted = clf.predict(lazy_frame)
        np.testing.assert_array_equal(predicted.compute(), clf.predict(frame))


@pytest.mark.slow
def test_a_worker_killed_mid_fit_leaves_the_same_model(dask_client, monkeypatch):
    """The nanny restarts the worker and Dask recomputes its chunks from their graph."""
    from skxor.data.chunked import ChunkedData

    expected = classifier(solver="lbfgs", max_iter=15).fit(lazy(X), lazy(Y))
    evaluate, calls = ChunkedData.loss_gradient, []

    def killing_at_the_fifth(self, *args):
        calls.append(1)
        if len(calls) == 5:
            pids = dask_client.run(os.getpid)
            os.kill(pids[sorted(pids)[0]], signal.SIGKILL)
        return evaluate(self, *args)

    monkeypatch.setattr(ChunkedData, "loss_gradient", killing_at_the_fifth)
    before = set(dask_client.run(os.getpid).values())
    clf = classifier(solver="lbfgs", max_iter=15).fit(lazy(X), lazy(Y))
    assert len(calls) > 5
    assert_same_weights(clf, expected)
    dask_client.wait_for_workers(2)
    assert len(before - set(dask_client.run(os.getpid).values())) == 1


@pytest.mark.slow
def test_a_dask_ml_scaler_and_the_classifier_fit_as_one_pipeline(dask_client):
    from dask_ml.preprocessing import StandardScaler as DaskScaler
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    on_dask = make_pipeline(DaskScaler(), classifier(solver="lbfgs", max_iter=20))
    on_dask.fit(lazy(X), lazy(Y))
    in_memory = make_pipeline(StandardScaler(), classifier(solver="lbfgs", max_iter=20))
    in_memory.fit(X, Y)
    np.testing.assert_allclose(on_dask.predict_proba(lazy(X)).compute(),
                               in_memory.predict_proba(X), rtol=1e-6, atol=1e-9)


@pytest.mark.slow
def test_dask_ml_incremental_is_one_partial_fit_per_block(dask_client):
    from dask_ml.wrappers import Incremental

    wrapped = Incremental(classifier(solver="adam"), shuffle_blocks=False)
    wrapped.fit(lazy(X), lazy(Y), classes=[0, 1, 2])
    by_hand = classifier(solver="adam")
    for start in range(0, len(X), CHUNK):
        by_hand.partial_fit(X[start:start + CHUNK], Y[start:start + CHUNK], classes=[0, 1, 2])
    assert_same_weights(wrapped.estimator_, by_hand)
    assert wrapped.estimator_.t_ == len(X)


@pytest.mark.slow
def test_dask_ml_parallel_post_fit_fits_on_chunks_and_predicts_lazily(dask_client):
    from dask_ml.wrappers import ParallelPostFit

    wrapped = ParallelPostFit(classifier(solver="lbfgs", max_iter=10)).fit(lazy(X), lazy(Y))
    on_chunks = classifier(solver="lbfgs", max_iter=10).fit(lazy(X), lazy(Y))
    predicted = wrapped.predict_proba(lazy(X))
    assert isinstance(predicted, da.Array)
    np.testing.assert_allclose(predicted.compute(), on_chunks.predict_proba(X), rtol=1e-12,
                               atol=1e-14)


def test_numpy_inputs_never_import_dask():
    code = ("import sys, numpy as np; from skxor import MLPBackpropClassifier as C; "
            "X = np.random.RandomState(0).rand(40, 3); "
            "C(max_iter=2).fit(X, X[:, 0] > 0.5).predict(X); "
            "print('dask' in sys.modules)")
    import subprocess

    result = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.slow
def test_convergence_is_warned_as_in_memory(dask_client):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        classifier(solver="lbfgs", max_iter=3).fit(lazy(X), lazy(Y))
    assert [w.category for w in caught] == [ConvergenceWarning]
