"""Every draw MLPClassifier and MLPRegressor make from ``random_state``, skxor makes too.

A user who passes one ``RandomState`` to several estimators, or who seeds
NumPy's global generator and lets each estimator draw from it, gets the same
stream after an skxor fit as after scikit-learn's: same starting weights,
same early-stopping split, one shuffle per epoch (even where every row fits
in one batch and the shuffle changes nothing but the summation order), in
the same order. The test compares the generator's state after the fit.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.neural_network import MLPClassifier, MLPRegressor

from skxor import MLPBackpropClassifier, MLPBackpropRegressor

X_CLS, Y_CLS = make_classification(n_samples=90, n_features=5, n_informative=3, n_classes=3,
                                   random_state=0)
X_REG, Y_REG = make_regression(n_samples=90, n_features=5, random_state=0)
FACES = {"classifier": (MLPBackpropClassifier, MLPClassifier, X_CLS, Y_CLS),
         "regressor": (MLPBackpropRegressor, MLPRegressor, X_REG, Y_REG / 100)}
SETTINGS = {
    "one batch": {},
    "mini-batches": {"batch_size": 16},
    "no shuffle": {"shuffle": False},
    "early stopping": {"early_stopping": True},
    "early stopping, mini-batches": {"early_stopping": True, "batch_size": 16},
}
WAYS = ["fit", "warm start", "partial_fit"]


def _fit(estimator, X, y, way):
    extra = {"classes": np.unique(y)} if hasattr(estimator, "predict_proba") else {}
    if way == "fit":
        estimator.fit(X, y)
    elif way == "warm start":
        estimator.set_params(warm_start=True).fit(X, y)
        estimator.set_params(max_iter=estimator.max_iter + 2).fit(X, y)
    else:
        for _ in range(3):
            estimator.partial_fit(X, y, **extra)


def state_after(estimator_class, params, X, y, way):
    """The state of the ``RandomState`` the estimator drew from, after ``way``."""
    rng = np.random.RandomState(0)
    estimator = estimator_class(hidden_layer_sizes=(4,), max_iter=3, random_state=rng,
                                **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _fit(estimator, X, y, way)
    _, keys, position, *_ = rng.get_state()
    return keys, position


def _cases():
    for face in FACES:
        for solver in ["sgd", "adam", "lbfgs"]:
            for setting, params in SETTINGS.items():
                for way in WAYS:
                    stochastic_only = way == "partial_fit" or "early" in setting
                    if solver == "lbfgs" and (stochastic_only or setting != "one batch"):
                        continue
                    if way == "partial_fit" and "early" in setting:
                        continue
                    yield pytest.param(face, solver, params, way,
                                       id=f"{face}-{solver}-{setting}-{way}")


@pytest.mark.parametrize(("face", "solver", "params", "way"), list(_cases()))
def test_fit_draws_what_scikit_learn_draws(face, solver, params, way):
    ours, theirs, X, y = FACES[face]
    params = {"solver": solver, **params}
    our_keys, our_position = state_after(ours, params, X, y, way)
    their_keys, their_position = state_after(theirs, params, X, y, way)
    assert our_position == their_position
    np.testing.assert_array_equal(our_keys, their_keys)


def test_cross_validation_on_the_global_generator_matches_scikit_learn():
    """The issue's script: ``np.random.seed`` once, then every fold draws from it."""
    from sklearn.datasets import load_iris
    from sklearn.model_selection import cross_val_score

    X, y = load_iris(return_X_y=True)
    scores = []
    for estimator_class in (MLPBackpropClassifier, MLPClassifier):
        np.random.seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores.append(cross_val_score(estimator_class(max_iter=300), X, y, cv=3))
    np.testing.assert_allclose(scores[0], scores[1])


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_further_random_starts_draw_from_generators_of_their_own(solver):
    """``n_init`` draws nothing more from ``random_state`` than one start does."""
    ours, theirs, X, y = FACES["classifier"]
    params = {"solver": solver, "early_stopping": solver == "adam"}
    restarts = state_after(ours, {**params, "n_init": 3}, X, y, "fit")
    their_keys, their_position = state_after(theirs, params, X, y, "fit")
    assert restarts[1] == their_position
    np.testing.assert_array_equal(restarts[0], their_keys)


def test_a_later_start_does_not_depend_on_how_many_rows_the_first_shuffled():
    """So that weighting a row by 2 trains as repeating it, with restarts too."""
    X, y = X_CLS[:40], Y_CLS[:40]
    weights = np.r_[np.full(10, 2.0), np.ones(30)]
    repeated = (np.r_[X[:10], X], np.r_[y[:10], y])
    model = {"hidden_layer_sizes": (4,), "max_iter": 5, "n_init": 2, "random_state": 0,
             "solver": "adam", "tol": 0.0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weighted = MLPBackpropClassifier(**model).fit(X, y, sample_weight=weights)
        copies = MLPBackpropClassifier(**model).fit(*repeated)
    np.testing.assert_allclose(weighted.predict_proba(X), copies.predict_proba(X), rtol=1e-7)
