"""``weight_decay`` and ``max_grad_norm``: one step in closed form, and what fits do with them."""

import copy
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning

from skxor import (
    InvalidParameterError,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    check_gradients,
)
from skxor.training.update_rules import SGD, Adam, Controls, clip_global_norm

X = np.random.RandomState(0).normal(size=(40, 3))
Y = (X[:, 0] > 0).astype(int)
WEIGHTS_THEN_BIAS = np.array([1.0, 2.0, 3.0])  # two weights, then one bias


def stepped(rule, controls, grad):
    """``WEIGHTS_THEN_BIAS`` after one step of ``rule`` with ``controls``."""
    rule.controls = controls
    params = WEIGHTS_THEN_BIAS.copy()
    rule.update(params, np.asarray(grad, dtype=float))
    return params


def test_decay_shrinks_the_weights_by_rate_times_decay_and_spares_the_biases():
    rule = Adam(np.zeros(3), learning_rate_init=0.1)
    params = stepped(rule, Controls(weight_decay=0.5, n_weights=2), [0.0, 0.0, 0.0])
    np.testing.assert_allclose(params, [0.95, 1.9, 3.0], rtol=1e-15)


def test_decay_is_decoupled_from_the_adam_step():
    grad = np.array([0.2, -0.4, 0.1])
    plain = stepped(Adam(np.zeros(3), 0.1), Controls(), grad)
    decayed = stepped(Adam(np.zeros(3), 0.1), Controls(weight_decay=0.5, n_weights=2), grad)
    adam_step = plain - WEIGHTS_THEN_BIAS
    np.testing.assert_allclose(decayed, WEIGHTS_THEN_BIAS * [0.95, 0.95, 1.0] + adam_step,
                               rtol=1e-14)


def test_sgdw_step_decays_then_descends():
    rule = SGD(np.zeros(3), 0.1, momentum=0.0, nesterov=False)
    params = stepped(rule, Controls(weight_decay=2.0, n_weights=2), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(params, [0.8 - 0.1, 1.6 - 0.1, 3.0 - 0.1], rtol=1e-15)


def test_clipping_scales_the_gradient_to_max_grad_norm():
    rule = SGD(np.zeros(3), 1.0, momentum=0.0, nesterov=False)
    params = stepped(rule, Controls(max_grad_norm=1.0), [3.0, 0.0, 4.0])
    np.testing.assert_allclose(params, WEIGHTS_THEN_BIAS - [0.6, 0.0, 0.8], rtol=1e-15)


def test_clipping_leaves_a_gradient_within_the_norm_as_it_is():
    grad = np.array([0.3, 0.0, 0.4])
    clip_global_norm(grad, 1.0)
    np.testing.assert_array_equal(grad, [0.3, 0.0, 0.4])


def test_clipping_a_zero_gradient_keeps_it_zero():
    grad = np.zeros(3)
    clip_global_norm(grad, 1.0)
    np.testing.assert_array_equal(grad, np.zeros(3))


def iris_regressor(**params):
    """MLPRegressor's own sgd fit that diverges on iris (identity units, a rate of 1)."""
    return MLPBackpropRegressor(solver="sgd", activation="identity", learning_rate_init=1.0,
                                random_state=0, **params)


def test_the_iris_fit_diverges_without_clipping():
    X_iris, y_iris = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="Training diverged"):
        iris_regressor().fit(X_iris, y_iris)


def test_clipping_trains_the_diverging_iris_fit_to_finite_weights():
    X_iris, y_iris = load_iris(return_X_y=True)
    reg = iris_regressor(max_grad_norm=0.01).fit(X_iris, y_iris)
    assert all(np.isfinite(coef).all() for coef in reg.coefs_)
    assert reg.score(X_iris, y_iris) > 0.85


def test_decay_pulls_the_weights_toward_zero_in_a_fit():
    def weight_norm(**params):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf = MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=30, random_state=0,
                                        learning_rate_init=0.01, **params).fit(X, Y)
        return sum(float(np.sum(coef**2)) for coef in clf.coefs_)

    assert weight_norm(weight_decay=5.0) < 0.5 * weight_norm()


@pytest.mark.parametrize("params", [{"weight_decay": 0.1}, {"max_grad_norm": 1.0},
                                    {"lr_schedule": "cosine"}, {"warmup": 2}])
def test_lbfgs_refuses_the_stochastic_controls_saying_why(params):
    (name, value), = params.items()
    clf = MLPBackpropClassifier(solver="lbfgs", **params)
    with pytest.raises(ValueError, match=f"{name}={value!r} needs solver='sgd' or 'adam'"):
        clf.fit(X, Y)


@pytest.mark.parametrize(("name", "value"), [("weight_decay", -0.1), ("weight_decay", np.inf),
                                             ("weight_decay", "0.1"), ("max_grad_norm", 0.0),
                                             ("max_grad_norm", -1.0), ("max_grad_norm", "1")])
def test_bad_decay_and_clipping_raise_invalid_parameter_error(name, value):
    with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter of "
                                                    "MLPBackpropClassifier must be"):
        MLPBackpropClassifier(**{name: value}).fit(X, Y)


def test_check_gradients_checks_the_objective_whatever_the_controls():
    plain = MLPBackpropClassifier(hidden_layer_sizes=(3,), alpha=0.1, random_state=0)
    controlled = MLPBackpropClassifier(hidden_layer_sizes=(3,), alpha=0.1, random_state=0,
                                       weight_decay=0.5, max_grad_norm=0.1,
                                       lr_schedule="cosine", dtype="float32")
    ours, theirs = check_gradients(controlled, X, Y), check_gradients(plain, X, Y)
    assert ours.passed and ours.max_rel_error == theirs.max_rel_error


def test_the_controls_train_with_dropout_and_early_stopping():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=20, random_state=0,
                                    learning_rate_init=0.05, n_iter_no_change=20,
                                    dropout=0.2, early_stopping=True, weight_decay=0.01,
                                    max_grad_norm=1.0, lr_schedule="cosine", warmup=2,
                                    dtype="float32").fit(X, Y)
    assert clf.coefs_[0].dtype == np.float32
    assert len(clf.validation_scores_) == clf.n_iter_ == 20
    assert clf.loss_curve_[-1] < 0.8 * clf.loss_curve_[0]


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_controls_that_change_nothing_train_bit_identically_to_none(solver):
    def fit(**params):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=10, batch_size=8,
                                         solver=solver, random_state=0, **params).fit(X, Y)

    neutral = fit(lr_schedule=lambda epoch, lr: lr, max_grad_norm=1e300, weight_decay=0.0,
                  dtype="float64")
    default = fit()
    for ours, theirs in zip(neutral.coefs_ + neutral.intercepts_,
                            default.coefs_ + default.intercepts_, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert neutral.loss_curve_ == default.loss_curve_


@pytest.mark.parametrize("rule", [SGD(np.zeros(3), 0.1, momentum=0.0),
                                  Adam(np.zeros(3), 0.1)], ids=["sgd", "adam"])
def test_rate_factors_scale_each_parameters_step(rule):
    grad = [0.2, -0.4, 0.1]
    plain = stepped(copy.deepcopy(rule), Controls(), grad) - WEIGHTS_THEN_BIAS
    factors = np.array([1.0, 0.1, 6.0])
    scaled = stepped(rule, Controls(rate_scale=factors), grad) - WEIGHTS_THEN_BIAS
    np.testing.assert_allclose(scaled, plain * factors, rtol=1e-12)
