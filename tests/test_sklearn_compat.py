"""Drop-in compatibility with sklearn.neural_network.MLPClassifier."""

import inspect
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skxor import MLPBackpropClassifier

OUR_EXTRAS = {"loss", "weight_init", "class_weight", "n_init"}


def test_every_mlpclassifier_parameter_exists_with_the_same_default():
    theirs = MLPClassifier().get_params()
    ours = MLPBackpropClassifier().get_params()
    assert {name: ours[name] for name in theirs} == theirs
    assert set(ours) - set(theirs) == OUR_EXTRAS


def test_constructor_takes_the_first_two_parameters_positionally_like_mlpclassifier():
    def positional(cls):
        parameters = inspect.signature(cls).parameters.values()
        return [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]

    assert positional(MLPBackpropClassifier) == positional(MLPClassifier)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:600] / 16, y[:600]


SAME_WORK = [
    dict(solver="adam"),
    dict(solver="sgd", learning_rate="invscaling", learning_rate_init=0.05),
    dict(solver="sgd", learning_rate="adaptive", nesterovs_momentum=False,
         learning_rate_init=0.1, tol=0.5),
    dict(solver="lbfgs", activation="tanh"),
    dict(solver="adam", activation="logistic", hidden_layer_sizes=(16, 8), alpha=0.1),
]


@pytest.mark.parametrize("params", SAME_WORK, ids=str)
def test_same_random_state_gives_mlpclassifiers_weights(digits, params):
    X, y = digits
    kwargs = dict(hidden_layer_sizes=(20,), max_iter=15, random_state=0) | params
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPBackpropClassifier(**kwargs).fit(X, y)
        theirs = MLPClassifier(**kwargs).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    for mine, reference in zip(ours.coefs_ + ours.intercepts_,
                               theirs.coefs_ + theirs.intercepts_, strict=True):
        np.testing.assert_allclose(mine, reference, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X),
                               atol=1e-7)


def test_early_stopping_on_binary_targets_gives_mlpclassifiers_weights(digits):
    # Both libraries stratify a binary validation split the same way; for
    # multiclass targets ours is stratified too, and sklearn's is not.
    X, y = digits
    kwargs = dict(hidden_layer_sizes=(20,), max_iter=30, random_state=0,
                  early_stopping=True, n_iter_no_change=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPBackpropClassifier(**kwargs).fit(X, y >= 5)
        theirs = MLPClassifier(**kwargs).fit(X, y >= 5)
    assert ours.validation_scores_ == pytest.approx(theirs.validation_scores_)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], rtol=1e-7, atol=1e-9)


def test_sample_weights_give_mlpclassifiers_weights():
    X, y = make_classification(n_samples=120, random_state=0)
    weights = np.random.RandomState(0).uniform(0, 3, size=120)
    kwargs = dict(hidden_layer_sizes=(8,), max_iter=20, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPBackpropClassifier(**kwargs).fit(X, y, sample_weight=weights)
        theirs = MLPClassifier(**kwargs).fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], rtol=1e-7, atol=1e-9)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-9)


def test_fitted_attributes_match_mlpclassifiers(digits):
    X, y = digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPBackpropClassifier(max_iter=3, random_state=0).fit(X, y)
        theirs = MLPClassifier(max_iter=3, random_state=0).fit(X, y)
    for name in ["n_layers_", "n_outputs_", "out_activation_", "n_iter_", "t_",
                 "n_features_in_", "best_validation_score_", "validation_scores_"]:
        assert getattr(ours, name) == getattr(theirs, name), name
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    assert ours.best_loss_ == pytest.approx(theirs.best_loss_, rel=1e-9)
