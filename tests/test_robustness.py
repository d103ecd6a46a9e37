"""Training never goes silently wrong, and a failed fit destroys nothing."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import GridSearchCV

from skxor import MLPBackpropClassifier

RNG = np.random.RandomState(0)
X = RNG.normal(size=(200, 5))
Y = (X[:, 0] > 0).astype(int)
HUGE_X = X * 1e6


@pytest.fixture(autouse=True)
def quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def exploding(**params):
    return MLPBackpropClassifier(solver="sgd", learning_rate_init=1e12, random_state=0,
                                 **params)


def test_divergence_stops_with_the_epoch_and_a_remedy():
    with pytest.raises(ValueError, match=r"diverged at epoch \d+.*learning_rate_init"
                                         r".*scale X"):
        exploding().fit(HUGE_X, Y)


def test_divergence_in_partial_fit_is_reported_too():
    clf = exploding()
    with pytest.raises(ValueError, match="diverged"):
        for _ in range(5):
            clf.partial_fit(HUGE_X, Y, classes=[0, 1])


def test_a_failed_warm_fit_leaves_the_fitted_model_as_it_was():
    clf = MLPBackpropClassifier(max_iter=5, random_state=0).fit(X, Y)
    before = {name: value for name, value in vars(clf).items() if name.endswith("_")}
    proba = clf.predict_proba(X)
    clf.set_params(warm_start=True, solver="sgd", learning_rate_init=1e12)
    with pytest.raises(ValueError, match="diverged"):
        clf.fit(HUGE_X, Y)
    assert {name for name in vars(clf) if name.endswith("_")} == set(before)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    assert clf.loss_curve_ == before["loss_curve_"]


def test_a_failed_partial_fit_keeps_the_optimizer_state_of_the_last_good_call():
    clf = MLPBackpropClassifier(solver="sgd", learning_rate_init=1e12, random_state=0)
    clf.partial_fit(X, Y, classes=[0, 1])
    for _ in range(10):
        velocity, coef = clf._optimizer.velocity.copy(), clf.coefs_[0].copy()
        try:
            clf.partial_fit(HUGE_X, Y)
        except ValueError as error:
            assert "diverged" in str(error)
            break
    else:
        pytest.fail("training at learning rate 1e12 on inputs of 1e6 never diverged")
    np.testing.assert_array_equal(clf._optimizer.velocity, velocity)
    np.testing.assert_array_equal(clf.coefs_[0], coef)


def test_a_failed_first_fit_leaves_no_fitted_attributes():
    clf = exploding()
    with pytest.raises(ValueError):
        clf.fit(HUGE_X, Y)
    assert not [name for name in vars(clf) if name.endswith("_")]


def test_a_diverging_grid_point_fails_visibly_in_grid_search():
    search = GridSearchCV(MLPBackpropClassifier(solver="sgd", max_iter=20, random_state=0),
                          {"learning_rate_init": [0.01, 1e12]}, cv=2, error_score=np.nan)
    with pytest.warns(FitFailedWarning, match="diverged"):
        search.fit(X, Y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores[0]) and np.isnan(scores[1])
