"""scoring: what the validation set is judged by, for early stopping and the choice of start."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

from skxor import InvalidParameterError, MLPBackpropClassifier, MLPBackpropRegressor

pytestmark = pytest.mark.usefixtures("quiet_convergence")

X, Y = make_classification(n_samples=300, n_features=6, n_informative=4, random_state=0)
SMALL = dict(hidden_layer_sizes=(8,), max_iter=30, random_state=0)


def test_the_default_is_accuracy_for_the_classifier_and_r2_for_the_regressor():
    clf = MLPBackpropClassifier(**SMALL).fit(X[:200], Y[:200], X_val=X[200:], y_val=Y[200:])
    assert clf.validation_scores_[-1] == pytest.approx(clf.score(X[200:], Y[200:]))
    reg = MLPBackpropRegressor(**SMALL).fit(X[:200], X[:200, 0], X_val=X[200:],
                                            y_val=X[200:, 0])
    assert reg.validation_scores_[-1] == pytest.approx(reg.score(X[200:], X[200:, 0]))


def test_a_scorer_name_scores_the_validation_set_with_that_scorer():
    clf = MLPBackpropClassifier(**SMALL, scoring="neg_log_loss").fit(
        X[:200], Y[:200], X_val=X[200:], y_val=Y[200:])
    expected = -np.mean(-np.log(clf.predict_proba(X[200:])[np.arange(100), Y[200:]]))
    assert clf.validation_scores_[-1] == pytest.approx(expected)


def test_a_callable_scorer_gets_the_estimator_at_that_epoch():
    seen = []

    def scorer(estimator, X_val, y_val):
        seen.append(estimator.coefs_[0].copy())
        return float(len(seen))

    clf = MLPBackpropClassifier(**SMALL, scoring=scorer).fit(X[:200], Y[:200], X_val=X[200:],
                                                              y_val=Y[200:])
    assert clf.validation_scores_ == [float(epoch) for epoch in range(1, clf.n_iter_ + 1)]
    assert not np.array_equal(seen[0], seen[-1])


@pytest.mark.parametrize("estimator_class", [MLPBackpropClassifier, MLPBackpropRegressor])
def test_loss_scoring_records_the_negated_validation_loss(estimator_class):
    y = Y if estimator_class is MLPBackpropClassifier else X[:, 0]
    fitted = estimator_class(**SMALL, scoring="loss").fit(X[:200], y[:200], X_val=X[200:],
                                                           y_val=y[200:])
    np.testing.assert_allclose(fitted.validation_scores_,
                               -np.array(fitted.validation_loss_curve_))


def test_early_stopping_on_the_loss_keeps_the_weights_of_the_lowest_validation_loss():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(64,), max_iter=300, scoring="loss",
                                early_stopping=True, n_iter_no_change=5, random_state=0,
                                learning_rate_init=0.05).fit(X, Y)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.n_iter_ < 300


@pytest.mark.parametrize("scoring", ["no_such_scorer", 3, ["accuracy"]])
def test_an_unknown_scoring_is_refused(scoring):
    with pytest.raises(InvalidParameterError, match="'scoring' parameter"):
        MLPBackpropClassifier(scoring=scoring).fit(X, Y)


def imbalanced_split(seed):
    X_all, y_all = make_classification(n_samples=2000, n_features=20, n_informative=5,
                                       weights=[0.95], flip_y=0.02, random_state=seed)
    return train_test_split(X_all, y_all, test_size=0.5, stratify=y_all, random_state=seed)


def held_out_balanced_accuracy(scoring):
    """Mean over 5 data sets of the held-out balanced accuracy after early stopping."""
    values = []
    for seed in range(5):
        X_train, X_test, y_train, y_test = imbalanced_split(seed)
        clf = MLPBackpropClassifier(hidden_layer_sizes=(32,), early_stopping=True,
                                    validation_fraction=0.3, n_iter_no_change=10,
                                    learning_rate_init=0.01, max_iter=300, scoring=scoring,
                                    random_state=seed)
        clf.fit(X_train, y_train)
        values.append(balanced_accuracy_score(y_test, clf.predict(X_test)))
    return np.mean(values)


def test_balanced_accuracy_stops_at_a_model_better_for_the_rare_class():
    assert held_out_balanced_accuracy("balanced_accuracy") > held_out_balanced_accuracy(None)
