"""Weight initialisation schemes, and the estimator's weight_init option."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.network.initialization import initialize
from skxor.network.network import Network

NETWORK = Network.perceptron((200, 100, 1), "relu", "logistic", loss=None)


def first_layer(scheme, hidden_activation="relu"):
    params = initialize(NETWORK, scheme, hidden_activation, np.random.RandomState(0),
                        np.float64)
    coefs, intercepts = NETWORK.dense_parameters(NETWORK.unpack(params))
    return coefs[0], intercepts[0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_initialize_draws_in_the_requested_dtype(dtype):
    params = initialize(NETWORK, "glorot", "tanh", np.random.RandomState(0), dtype)
    assert params.dtype == dtype and params.shape == (NETWORK.size,)


def test_glorot_is_uniform_within_its_bound():
    coef, intercept = first_layer("glorot")
    bound = np.sqrt(6 / 300)
    assert np.abs(coef).max() <= bound and np.abs(intercept).max() <= bound
    assert coef.std() == pytest.approx(bound / np.sqrt(3), rel=0.03)


def test_glorot_bound_is_narrower_for_logistic_units():
    coef, _ = first_layer("glorot", hidden_activation="logistic")
    assert np.abs(coef).max() <= np.sqrt(2 / 300)


def test_he_is_normal_with_variance_two_over_fan_in_and_zero_biases():
    coef, intercept = first_layer("he")
    assert coef.mean() == pytest.approx(0, abs=0.005)
    assert coef.std() == pytest.approx(np.sqrt(2 / 200), rel=0.03)
    assert not intercept.any()


def test_uniform_spans_minus_one_to_one_like_seeds_000_and_002():
    coef, intercept = first_layer("uniform")
    assert -1 <= coef.min() < -0.99 and 0.99 < coef.max() <= 1
    assert np.abs(intercept).max() <= 1 and intercept.std() > 0.3


def test_normal_has_scale_0_1_and_biases_0_1_like_seed_001():
    coef, intercept = first_layer("normal")
    assert coef.std() == pytest.approx(0.1, rel=0.03)
    np.testing.assert_array_equal(intercept, 0.1)


def test_estimator_starts_from_the_chosen_scheme():
    X = np.random.RandomState(0).normal(size=(20, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBackpropClassifier(hidden_layer_sizes=(5,), weight_init="normal",
                                    solver="sgd", learning_rate_init=1e-12,
                                    max_iter=1).fit(X, X[:, 0] > 0)
    np.testing.assert_allclose(clf.intercepts_[0], 0.1, atol=1e-9)
