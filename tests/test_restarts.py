"""n_init: train from several random starts and keep the best."""

import numpy as np
import pytest

from skxor import MLPBackpropClassifier
from skxor.seeds import XOR_X, XOR_Y

pytestmark = pytest.mark.usefixtures("quiet_convergence")

XOR_LABELS = XOR_Y.ravel()


def xor_solves(n_init):
    """Random states 0..49 from which a 2-2-1 tanh network solves XOR."""
    return sum(
        (MLPBackpropClassifier(hidden_layer_sizes=(2,), activation="tanh", solver="lbfgs",
                               n_init=n_init, random_state=state)
         .fit(XOR_X, XOR_LABELS).predict(XOR_X) == XOR_LABELS).all()
        for state in range(50))


def test_ten_random_starts_solve_xor_from_49_of_50_random_states():
    assert xor_solves(n_init=10) >= 49


def test_one_start_is_the_plain_fit():
    plain = MLPBackpropClassifier(hidden_layer_sizes=(3,), max_iter=30, random_state=0)
    one = MLPBackpropClassifier(hidden_layer_sizes=(3,), max_iter=30, random_state=0,
                                n_init=1)
    X, y = XOR_X, XOR_LABELS
    np.testing.assert_array_equal(plain.fit(X, y).coefs_[0], one.fit(X, y).coefs_[0])


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_restarts_keep_a_start_no_worse_than_the_first(solver):
    def final_loss(n_init):
        return MLPBackpropClassifier(hidden_layer_sizes=(2,), activation="tanh",
                                     solver=solver, max_iter=50, n_init=n_init,
                                     random_state=3).fit(XOR_X, XOR_LABELS).loss_

    assert final_loss(5) < final_loss(1)


def test_restarts_are_reproducible():
    def weights():
        return MLPBackpropClassifier(hidden_layer_sizes=(2,), solver="lbfgs", n_init=4,
                                     random_state=7).fit(XOR_X, XOR_LABELS).coefs_[0]

    np.testing.assert_array_equal(weights(), weights())


def test_with_a_validation_set_restarts_keep_the_best_validation_score():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    common = dict(hidden_layer_sizes=(2,), activation="tanh", solver="lbfgs",
                  max_iter=30, random_state=1)
    one = MLPBackpropClassifier(**common).fit(X[:80], y[:80], X_val=X[80:], y_val=y[80:])
    many = MLPBackpropClassifier(n_init=6, **common).fit(X[:80], y[:80], X_val=X[80:],
                                                         y_val=y[80:])
    assert many.validation_scores_[-1] > one.validation_scores_[-1]


def test_a_warm_start_continues_from_the_fitted_weights_whatever_n_init():
    def refit(n_init):
        clf = MLPBackpropClassifier(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=5,
                                    warm_start=True, random_state=0).fit(XOR_X, XOR_LABELS)
        return clf.set_params(n_init=n_init).fit(XOR_X, XOR_LABELS).coefs_[0]

    np.testing.assert_array_equal(refit(3), refit(1))
