"""check_gradients: passes on real backprop, catches a wrong derivative."""

import dataclasses
import itertools
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier, check_gradients
from skxor.network.activations import ACTIVATIONS, hidden_activation_names
from skxor.targets.losses import CLASSIFICATION_LOSSES

RNG = np.random.RandomState(0)
X = RNG.normal(size=(20, 4))
TARGETS = {
    "binary": X[:, 0] > 0,
    "multiclass": np.arange(20) % 3,
    "multilabel": (RNG.rand(20, 3) > 0.5).astype(int),
}


@pytest.mark.parametrize(("activation", "loss", "target_kind"), list(itertools.product(
    hidden_activation_names(), CLASSIFICATION_LOSSES, TARGETS)))
def test_real_gradients_pass(activation, loss, target_kind):
    clf = MLPBackpropClassifier(hidden_layer_sizes=(5, 4), activation=activation,
                                loss=loss, alpha=0.3, random_state=0)
    result = check_gradients(clf, X, TARGETS[target_kind])
    assert result.passed, str(result)


def wrong_tanh_backward(a, grad):
    """Forgets the square: multiplies by 1 - a instead of 1 - a**2."""
    grad *= 1 - a
    return grad


def test_a_wrong_hidden_derivative_is_caught_in_the_hidden_layers(monkeypatch):
    monkeypatch.setitem(ACTIVATIONS, "tanh",
                        dataclasses.replace(ACTIVATIONS["tanh"], backward=wrong_tanh_backward))
    clf = MLPBackpropClassifier(hidden_layer_sizes=(5,), activation="tanh",
                                random_state=0)
    result = check_gradients(clf, X, TARGETS["binary"])
    assert not result.passed
    errors = {(row.layer, row.kind): row.max_rel_error for row in result.rows}
    assert errors[(0, "weights")] > 1e-2 and errors[(0, "biases")] > 1e-2
    assert errors[(1, "weights")] < 1e-5 and errors[(1, "biases")] < 1e-5


def test_checks_the_fitted_weights_and_leaves_the_estimator_alone():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBackpropClassifier(hidden_layer_sizes=(5,), max_iter=30,
                                    random_state=0).fit(X, TARGETS["multiclass"])
    weights = [coef.copy() for coef in clf.coefs_]
    assert check_gradients(clf, X, TARGETS["multiclass"]).passed
    for before, after in zip(weights, clf.coefs_, strict=True):
        np.testing.assert_array_equal(before, after)
    assert not clf.warm_start


def test_an_unfitted_estimator_stays_unfitted():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,))
    check_gradients(clf, X, TARGETS["binary"])
    assert not hasattr(clf, "coefs_") and not hasattr(clf, "n_features_in_")


def test_max_params_samples_that_many_parameters():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(50,), random_state=0)
    result = check_gradients(clf, X, TARGETS["binary"], max_params=30)
    assert result.n_checked == 30 == sum(row.n_checked for row in result.rows)
    assert result.n_params == 4 * 50 + 50 + 50 + 1


def test_sample_weights_and_float32_data_are_checked_in_float64():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), alpha=0.5, random_state=0)
    weights = np.linspace(0.1, 2.0, 20)
    result = check_gradients(clf, X.astype(np.float32), TARGETS["binary"],
                             sample_weight=weights)
    assert result.passed and result.max_rel_error < 1e-6


def test_table_has_a_row_per_layer_and_kind_and_a_verdict():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3, 2), random_state=0)
    lines = str(check_gradients(clf, X, TARGETS["binary"])).splitlines()
    assert len(lines) == 1 + 6 + 1
    n_params = (4 * 3 + 3) + (3 * 2 + 2) + (2 * 1 + 1)
    assert lines[-1].startswith(f"PASSED: {n_params} of {n_params} parameters")
