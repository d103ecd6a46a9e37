"""solver="rmsprop": its step in closed form, and the estimators training with it."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression

from skxor import InvalidParameterError, MLPBackpropClassifier, MLPBackpropRegressor
from skxor.training.schedules import LearningRate
from skxor.training.update_rules import Controls, RMSProp

pytestmark = pytest.mark.usefixtures("quiet_convergence")

GRAD = np.array([0.5, -2.0, 0.0, 1e-3])


def test_one_step_divides_the_gradient_by_its_running_root_mean_square():
    params = np.array([1.0, 1.0, 1.0, 1.0])
    RMSProp(params, learning_rate_init=0.1, rho=0.9, epsilon=1e-8).update(params, GRAD.copy())
    mean_square = 0.1 * GRAD**2
    np.testing.assert_allclose(params, 1.0 - 0.1 * GRAD / (np.sqrt(mean_square) + 1e-8),
                               rtol=1e-15)


def test_the_running_mean_decays_by_rho():
    params = np.zeros(4)
    rule = RMSProp(params, learning_rate_init=0.01, rho=0.5, epsilon=1e-8)
    rule.update(params, GRAD.copy())
    rule.update(params, 2 * GRAD)
    np.testing.assert_allclose(rule.mean_square, 0.5 * (0.5 * GRAD**2) + 0.5 * (2 * GRAD) ** 2,
                               rtol=1e-15)


def test_a_schedule_sets_the_steps_rate():
    params = np.zeros(4)
    rule = RMSProp(params, learning_rate_init=0.1)
    rule.set_controls(Controls(LearningRate(0.1, None, warmup=2, horizon=10)))
    rule.begin_epoch(1)
    rule.update(params, GRAD.copy())
    half_rate = 0.1 * 0.5  # the first batch of a two-epoch warmup steps at half the rate
    np.testing.assert_allclose(params, -half_rate * GRAD / (np.sqrt(0.1 * GRAD**2) + 1e-8))


X, Y = make_classification(n_samples=300, n_features=8, random_state=0)


def test_a_classifier_learns_with_it_and_reproduces_itself():
    params = dict(solver="rmsprop", hidden_layer_sizes=(16,), max_iter=60,
                  learning_rate_init=0.01, random_state=0)
    first = MLPBackpropClassifier(**params).fit(X, Y)
    second = MLPBackpropClassifier(**params).fit(X, Y)
    assert first.score(X, Y) > 0.95
    for a, b in zip(first.coefs_, second.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_rho_changes_the_fit():
    params = dict(solver="rmsprop", hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    slow = MLPBackpropClassifier(rho=0.99, **params).fit(X, Y)
    fast = MLPBackpropClassifier(rho=0.5, **params).fit(X, Y)
    assert not np.array_equal(slow.coefs_[0], fast.coefs_[0])


def test_partial_fit_continues_the_running_mean_across_pickling():
    model = MLPBackpropRegressor(solver="rmsprop", hidden_layer_sizes=(8,), random_state=0)
    X_reg, y_reg = make_regression(n_samples=100, n_features=4, random_state=0)
    model.partial_fit(X_reg, y_reg)
    copy = pickle.loads(pickle.dumps(model))
    model.partial_fit(X_reg, y_reg)
    copy.partial_fit(X_reg, y_reg)
    np.testing.assert_array_equal(copy.coefs_[0], model.coefs_[0])
    assert type(model._optimizer).__name__ == "RMSProp"


@pytest.mark.parametrize("rho", [1.0, -0.1, "0.9"])
def test_a_rho_outside_zero_to_one_is_refused_in_scikit_learns_words(rho):
    with pytest.raises(InvalidParameterError, match=r"The 'rho' parameter of "
                                                    r"MLPBackpropClassifier must be a float in "
                                                    r"the range \[0.0, 1.0\)"):
        MLPBackpropClassifier(solver="rmsprop", rho=rho).fit(X, Y)


@pytest.mark.parametrize("estimator", [MLPBackpropClassifier, MLPBackpropRegressor])
def test_the_estimators_document_the_solver_and_its_parameter(estimator):
    assert '"rmsprop"' in estimator.__doc__.split("    solver :")[1].split("\n")[0]
    assert "    rho : float, default=0.9" in estimator.__doc__
