"""The seeds' XOR networks, inside the estimator."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.__main__ import gradient_check_network

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_Y = np.array([0, 1, 1, 0])


def test_lbfgs_logistic_network_solves_xor_from_49_of_50_seeds():
    solved = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for seed in range(50):
            clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), activation="logistic",
                                        solver="lbfgs", random_state=seed)
            solved += np.array_equal(clf.fit(XOR_X, XOR_Y).predict(XOR_X), XOR_Y)
    assert solved >= 49


def seed_001_network(max_iter):
    """The demo's seed-001 network: the notebook's 2-2-1 net and initial weights."""
    _, clf, _ = gradient_check_network()
    return clf.set_params(max_iter=max_iter)


SEED_001_X = np.array([[0, 1], [1, 0], [0, 0], [1, 1]])
SEED_001_Y = np.array([1, 1, 0, 0])


def test_seed_001_network_starts_at_the_notebooks_loss():
    # Only the notebook's initial weights give its printed starting loss.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = seed_001_network(max_iter=1).fit(SEED_001_X, SEED_001_Y)
    assert clf.loss_curve_[0] == pytest.approx(0.12519375208599626, abs=1e-12)


def test_seed_001_network_solves_xor_after_1000_passes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = seed_001_network(max_iter=1000).fit(SEED_001_X, SEED_001_Y)
    assert clf.n_iter_ == 1000
    np.testing.assert_array_equal(clf.predict(SEED_001_X), SEED_001_Y)
    assert clf.loss_curve_[-1] < 1e-3
