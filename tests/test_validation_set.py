"""A validation set of the user's own, and the curves recorded on any validation set."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import log_loss

from skxor import MLPBackpropClassifier

X, Y = make_classification(n_samples=300, n_features=5, n_informative=3, n_classes=3,
                           random_state=0)
X_TRAIN, Y_TRAIN, X_VAL, Y_VAL = X[:200], Y[:200], X[200:], Y[200:]

pytestmark = pytest.mark.usefixtures("quiet_convergence")


def small(**params):
    return MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=15, random_state=0,
                                 **params)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_X_val_is_scored_after_every_epoch(solver):
    clf = small(solver=solver).fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_) == clf.n_iter_
    assert clf.validation_scores_[-1] == clf.score(X_VAL, Y_VAL)
    np.testing.assert_allclose(clf.validation_loss_curve_[-1],
                               log_loss(Y_VAL, clf.predict_proba(X_VAL)), rtol=1e-10)
    assert clf.best_validation_score_ == max(clf.validation_scores_)


def test_X_val_only_monitors_without_early_stopping():
    monitored = small().fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    plain = small().fit(X_TRAIN, Y_TRAIN)
    np.testing.assert_array_equal(monitored.coefs_[0], plain.coefs_[0])
    assert monitored.best_loss_ == plain.best_loss_
    assert plain.validation_loss_curve_ is None


def test_X_val_replaces_the_early_stopping_split():
    clf = small(early_stopping=True).fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert clf.t_ == clf.n_iter_ * len(X_TRAIN)
    assert clf.best_loss_ is None
    assert clf.score(X_VAL, Y_VAL) == clf.best_validation_score_


def test_early_stopping_split_records_the_validation_loss_too():
    clf = small(early_stopping=True).fit(X_TRAIN, Y_TRAIN)
    assert clf.t_ == clf.n_iter_ * 180
    assert len(clf.validation_loss_curve_) == len(clf.validation_scores_) == clf.n_iter_


def test_sample_weight_val_weighs_the_validation_score():
    weights = np.where(Y_VAL == 0, 1.0, 0.0)
    clf = small().fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL,
                      sample_weight_val=weights)
    assert clf.validation_scores_[-1] == clf.score(X_VAL, Y_VAL, sample_weight=weights)


def test_X_val_travels_through_a_pipeline_with_transform_input():
    import sklearn
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    with sklearn.config_context(enable_metadata_routing=True):
        model = Pipeline(
            [("scale", StandardScaler()),
             ("mlp", small().set_fit_request(X_val=True, y_val=True))],
            transform_input=["X_val"])
        model.fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert model["mlp"].validation_scores_[-1] == model.score(X_VAL, Y_VAL)
