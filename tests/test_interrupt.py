"""Ctrl-C: a stochastic fit stops and keeps its model; partial_fit and lbfgs change nothing.

MLPClassifier catches ``KeyboardInterrupt`` in its sgd/adam training loop,
warns "Training interrupted by user." and keeps the weights trained so far.
The deterministic tests raise the interrupt from inside the N-th batch; one
test sends a real SIGINT from another thread.
"""

import _thread
import gc
import signal
import threading
import warnings

import numpy as np
import pytest
from callback_protocol import SilentCallback
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier

X, Y = make_classification(n_samples=200, n_features=6, n_informative=4, n_classes=3,
                           random_state=0)
X_VAL, Y_VAL = X[150:], Y[150:]
X, Y = X[:150], Y[:150]
BATCHES_PER_EPOCH = 3


def model(**params):
    return MLPBackpropClassifier(**{"hidden_layer_sizes": (8,), "batch_size": 50,
                                    "max_iter": 50, "random_state": 0, **params})


def fit_warning_messages(clf, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.fit(*args, **kwargs)
    return [(w.category, str(w.message)) for w in caught]


def test_interrupted_fit_warns_once_and_keeps_the_completed_epochs(fail_at_batch):
    fail_at_batch(4 * BATCHES_PER_EPOCH + 2)
    clf = model()
    assert fit_warning_messages(clf, X, Y) == [(UserWarning, "Training interrupted by user.")]
    assert clf.n_iter_ == 4
    assert len(clf.loss_curve_) == 4 and clf.loss_ == clf.loss_curve_[-1]
    assert clf.t_ == 4 * len(X)


def test_interrupted_fit_predicts_with_the_weights_trained_so_far(fail_at_batch):
    fail_at_batch(4 * BATCHES_PER_EPOCH + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        interrupted = model().fit(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        four_epochs = model(max_iter=4).fit(X, Y)
    np.testing.assert_array_equal(interrupted.coefs_[0], four_epochs.coefs_[0])
    np.testing.assert_array_equal(interrupted.predict(X), four_epochs.predict(X))


def test_interrupted_early_stopping_keeps_the_best_validation_weights(fail_at_batch):
    fail_at_batch(12 * BATCHES_PER_EPOCH + 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        clf = model(early_stopping=True, n_iter_no_change=100, learning_rate_init=0.05)
        clf.fit(X, Y, X_val=X_VAL, y_val=Y_VAL)
    assert clf.n_iter_ == 12
    assert clf.score(X_VAL, Y_VAL) == clf.best_validation_score_
    assert clf.validation_scores_[-1] < clf.best_validation_score_


def test_interrupt_in_the_first_epoch_leaves_a_usable_model(fail_at_batch):
    fail_at_batch(2)
    clf = model()
    assert fit_warning_messages(clf, X, Y) == [(UserWarning, "Training interrupted by user.")]
    assert clf.n_iter_ == 0 and clf.loss_curve_ == [] and clf.loss_ is None
    assert set(clf.predict(X)) <= set(clf.classes_)


def test_interrupt_during_a_later_random_start_ends_the_fit(fail_at_batch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first_start = model().fit(X, Y)
    in_second_start = first_start.n_iter_ * BATCHES_PER_EPOCH + 2
    calls = fail_at_batch(in_second_start)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        restarts = model(n_init=3).fit(X, Y)
    assert calls["count"] == in_second_start, "training went on after the interrupt"
    np.testing.assert_array_equal(restarts.coefs_[0], first_start.coefs_[0])


def quiet_fit(clf):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, Y)


def test_interrupt_between_two_random_starts_keeps_the_best_start_so_far(monkeypatch):
    from skxor.network.initialization import WEIGHT_INITS

    draws = {"count": 0}
    real_glorot = WEIGHT_INITS["glorot"]

    def glorot(*args):
        draws["count"] += 1
        if draws["count"] == 5:  # two layers a start: the first weights of start 3
            raise KeyboardInterrupt
        return real_glorot(*args)

    two_starts = quiet_fit(model(n_init=2))
    monkeypatch.setitem(WEIGHT_INITS, "glorot", glorot)
    clf = model(n_init=3)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        quiet_fit(clf)
    np.testing.assert_array_equal(clf.coefs_[0], two_starts.coefs_[0])
    assert clf.n_iter_ == two_starts.n_iter_


@pytest.mark.skipif(not hasattr(MLPBackpropClassifier, "set_callbacks"),
                    reason="needs scikit-learn >= 1.9: sklearn.callback")
def test_interrupt_from_a_callback_at_the_end_of_a_start_keeps_the_best_start_so_far():
    class InterruptAfterStart(SilentCallback):
        def __init__(self, start):
            self.start, self.ended = start, 0

        def on_fit_task_end(self, estimator, context, **kwargs):
            if context.task_name == "random start":
                self.ended += 1
                if self.ended == self.start:
                    raise KeyboardInterrupt

    two_starts = quiet_fit(model(n_init=2))
    clf = model(n_init=3).set_callbacks(InterruptAfterStart(2))
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        quiet_fit(clf)
    np.testing.assert_array_equal(clf.coefs_[0], two_starts.coefs_[0])


def test_interrupted_partial_fit_propagates_and_changes_nothing(fail_at_batch):
    clf = model().partial_fit(X, Y, classes=[0, 1, 2])
    before = {name: value for name, value in vars(clf).items() if name.endswith("_")}
    coefs = [coef.copy() for coef in clf.coefs_]
    fail_at_batch(2)
    with pytest.raises(KeyboardInterrupt):
        clf.partial_fit(X, Y)
    assert clf.t_ == before["t_"] and clf.loss_curve_ == before["loss_curve_"]
    for kept, original in zip(clf.coefs_, coefs, strict=True):
        np.testing.assert_array_equal(kept, original)


def test_interrupted_lbfgs_fit_propagates_and_leaves_the_estimator_unfitted(
        fail_at_batch):
    fail_at_batch(5)
    clf = model(solver="lbfgs")
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, Y)
    assert not hasattr(clf, "coefs_")


def test_a_real_sigint_stops_a_long_fit_with_a_usable_model():
    big_X = np.tile(X, (200, 1))
    big_Y = np.tile(Y, 200)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(64,), max_iter=2_000, tol=0,
                                n_iter_no_change=np.inf, random_state=0)
    # A SIGINT that lands while the garbage collector runs a finalizer is raised inside that
    # finalizer, and CPython swallows it ("Exception ignored in ..."): after the Dask tests,
    # there are many such objects (futures, clients) waiting to be collected. Should one be
    # swallowed all the same, the next, a second later, stops the fit.
    fitted = threading.Event()

    def interrupt_until_fitted():
        while not fitted.wait(0.5):
            _thread.interrupt_main()

    gc.collect()
    gc.disable()
    # A shell's background job starts with SIGINT ignored, and Python then keeps it ignored,
    # so interrupt_main() would do nothing: give SIGINT Python's handler for this test.
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    interrupter = threading.Thread(target=interrupt_until_fitted, daemon=True)
    interrupter.start()
    try:
        messages = fit_warning_messages(clf, big_X, big_Y)
    finally:
        fitted.set()
        gc.enable()
        signal.signal(signal.SIGINT, handler)
    assert messages == [(UserWarning, "Training interrupted by user.")]
    assert 0 < clf.n_iter_ < 2_000 and len(clf.loss_curve_) == clf.n_iter_
    assert np.isfinite(clf.predict_proba(X)).all()
