"""dropout: off by default, reproducible when on, and it does what it is for."""

import numpy as np
import pytest
from arrays import host
from sklearn import config_context
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss

from skxor import InvalidParameterError, MLPBackpropClassifier, MLPBackpropRegressor

pytestmark = pytest.mark.usefixtures("quiet_convergence")

RNG = np.random.RandomState(0)
X = RNG.normal(size=(90, 6))
Y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
SMALL = dict(hidden_layer_sizes=(16, 8), max_iter=15, batch_size=30, random_state=0)


def weights(estimator):
    return [host(array) for array in estimator.coefs_ + estimator.intercepts_]


def test_zero_rates_train_exactly_as_without_dropout():
    plain = MLPBackpropClassifier(**SMALL).fit(X, Y)
    zeros = MLPBackpropClassifier(**SMALL, dropout=[0.0, 0.0]).fit(X, Y)
    for mine, reference in zip(weights(zeros), weights(plain), strict=True):
        np.testing.assert_array_equal(mine, reference)


def test_the_same_random_state_draws_the_same_masks():
    first = MLPBackpropClassifier(**SMALL, dropout=0.3).fit(X, Y)
    again = MLPBackpropClassifier(**SMALL, dropout=0.3).fit(X, Y)
    plain = MLPBackpropClassifier(**SMALL).fit(X, Y)
    for mine, repeat in zip(weights(first), weights(again), strict=True):
        np.testing.assert_array_equal(mine, repeat)
    assert not np.array_equal(weights(first)[0], weights(plain)[0])


def test_a_rate_per_layer_drops_only_where_asked():
    only_second = MLPBackpropClassifier(**SMALL, dropout=[0.0, 0.5]).fit(X, Y)
    both = MLPBackpropClassifier(**SMALL, dropout=[0.5, 0.5]).fit(X, Y)
    assert not np.array_equal(weights(only_second)[0], weights(both)[0])


def test_prediction_uses_the_whole_network():
    clf = MLPBackpropClassifier(**SMALL, dropout=0.5).fit(X, Y)
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    coefs, intercepts = clf.coefs_, clf.intercepts_
    hidden = np.maximum(X @ coefs[0] + intercepts[0], 0)
    hidden = np.maximum(hidden @ coefs[1] + intercepts[1], 0)
    logit = hidden @ coefs[2] + intercepts[2]
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], 1 / (1 + np.exp(-logit[:, 0])))


def test_lbfgs_refuses_dropout():
    with pytest.raises(ValueError, match="dropout=0.2 needs solver='sgd' or 'adam'"):
        MLPBackpropClassifier(solver="lbfgs", dropout=0.2).fit(X, Y)


@pytest.mark.parametrize("dropout", [1.0, -0.1, True, "0.5", [0.5]])
def test_a_rate_outside_0_to_1_or_a_list_of_the_wrong_length_is_refused(dropout):
    with pytest.raises(InvalidParameterError, match="dropout"):
        MLPBackpropClassifier(hidden_layer_sizes=(4, 4), dropout=dropout).fit(X, Y)


def test_partial_fit_and_the_regressor_take_dropout():
    clf = MLPBackpropClassifier(**SMALL, dropout=0.2)
    clf.partial_fit(X, Y, classes=[0, 1]).partial_fit(X, Y)
    reg = MLPBackpropRegressor(**SMALL, dropout=0.2).fit(X, X[:, 0])
    again = MLPBackpropRegressor(**SMALL, dropout=0.2).fit(X, X[:, 0])
    np.testing.assert_array_equal(reg.coefs_[0], again.coefs_[0])
    assert clf.t_ == 2 * len(X)


def test_a_fit_on_array_api_strict_draws_the_numpy_fits_masks():
    array_api_strict = pytest.importorskip("array_api_strict")
    reference = MLPBackpropClassifier(**SMALL, dropout=0.4).fit(X, Y)
    with config_context(array_api_dispatch=True):
        fitted = MLPBackpropClassifier(**SMALL, dropout=0.4).fit(array_api_strict.asarray(X),
                                                                  array_api_strict.asarray(Y))
    for mine, theirs in zip(weights(fitted), weights(reference), strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-9)


def overfitting_setup():
    """Digits with 20 training samples per class; the rest held out."""
    X_digits, y_digits = load_digits(return_X_y=True)
    X_digits = X_digits / 16
    rng = np.random.RandomState(0)
    train = np.concatenate([rng.choice(np.flatnonzero(y_digits == label), 20, replace=False)
                            for label in range(10)])
    held_out = np.setdiff1d(np.arange(len(y_digits)), train)
    return X_digits[train], y_digits[train], X_digits[held_out], y_digits[held_out]


def held_out_figures(dropout):
    """Mean held-out log loss and accuracy over 5 random states of a wide, overfitting net."""
    X_train, y_train, X_test, y_test = overfitting_setup()
    figures = []
    for random_state in range(5):
        clf = MLPBackpropClassifier(hidden_layer_sizes=(256, 256), max_iter=300, tol=0.0,
                                    n_iter_no_change=300, dropout=dropout,
                                    random_state=random_state).fit(X_train, y_train)
        figures.append((log_loss(y_test, clf.predict_proba(X_test)), clf.score(X_test, y_test)))
    return np.mean(figures, axis=0)


@pytest.mark.slow
def test_dropout_lowers_the_held_out_loss_and_raises_accuracy_of_an_overfitting_network():
    loss_without, accuracy_without = held_out_figures(0.0)
    loss_with, accuracy_with = held_out_figures(0.5)
    assert loss_with < 0.95 * loss_without
    assert accuracy_with > accuracy_without
