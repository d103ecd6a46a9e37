"""The seeds' XOR networks, inside the estimator."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.seeds import (
    SEED_001_START_LOSS,
    SEED_001_X,
    SEED_001_Y,
    seed_001_network,
    trask_network,
    with_bias_column,
)

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


def test_seed_001_network_starts_at_the_notebooks_loss():
    # Only the notebook's initial weights give its printed starting loss.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = seed_001_network(max_iter=1).fit(SEED_001_X, SEED_001_Y)
    assert clf.loss_curve_[0] == pytest.approx(SEED_001_START_LOSS, abs=1e-12)
    assert SEED_001_START_LOSS == 0.12519375208599626


def test_seed_001_network_solves_xor_after_1000_passes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = seed_001_network(max_iter=1000).fit(SEED_001_X, SEED_001_Y)
    assert clf.n_iter_ == 1000
    np.testing.assert_array_equal(clf.predict(SEED_001_X), SEED_001_Y)
    assert clf.loss_curve_[-1] < 1e-3


def notebook_loss_every_100_passes(derivative_of_tanh):
    """Seed 001's training loop as the notebook writes it, loss every 100 passes."""
    np.random.seed(2)
    inputs, labels = SEED_001_X.T, SEED_001_Y
    W0, b0 = np.random.randn(2, 2) * 0.1, np.full((2, 1), 0.1)
    W1, b1 = np.random.randn(1, 2) * 0.1, np.full((1, 1), 0.1)
    losses = []
    for i in range(1000):
        A1 = np.tanh(W0 @ inputs + b0)
        A2 = 1 / (1 + np.exp(-(W1 @ A1 + b1)))
        if i % 100 == 0:
            losses.append(0.5 * np.mean((A2 - labels) ** 2))
        dZ2 = (labels - A2) / 4 * A2 * (1 - A2)
        dZ1 = (W1.T @ dZ2) * derivative_of_tanh(A1)
        W1 += 10 * dZ2 @ A1.T
        b1 += 10 * dZ2.sum(keepdims=True)
        W0 += 10 * dZ1 @ inputs.T
        b0 += 10 * dZ1.sum(axis=1, keepdims=True)
    return losses


def test_seed_001_trains_like_the_notebook_with_its_tanh_derivative_corrected():
    # The notebook multiplies by 1 - tanh(A1)**2 although A1 = tanh(Z1) already;
    # with the correct 1 - A1**2 its loop follows our loss curve exactly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = seed_001_network(max_iter=1000).fit(SEED_001_X, SEED_001_Y)
    corrected = notebook_loss_every_100_passes(lambda A1: 1 - A1**2)
    np.testing.assert_allclose(clf.loss_curve_[::100], corrected, rtol=1e-10)
    as_written = notebook_loss_every_100_passes(lambda A1: 1 - np.tanh(A1) ** 2)
    assert as_written[1] == pytest.approx(0.044109941906362596, rel=1e-9)


def test_seed_networks_run_every_pass_even_when_the_loss_oscillates():
    # With three sigmoid layers at learning rate 4 the loss oscillates early
    # on; the stopping rule must not end a notebook's fixed-length run.
    clf = trask_network(hidden_layer_sizes=(8, 8, 8), max_iter=2000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(with_bias_column(XOR_X), XOR_Y)
    assert clf.n_iter_ == 2000
