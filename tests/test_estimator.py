"""Behaviours of MLPBackpropClassifier that users rely on."""


import warnings

import numpy as np
import pytest
import scipy.sparse
from sklearn.base import clone
from sklearn.datasets import make_classification, make_moons, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

X, Y = make_classification(n_samples=150, n_features=6, n_informative=4, n_classes=3,
                           random_state=0)


pytestmark = pytest.mark.usefixtures("quiet_convergence")


def small(**params):
    defaults = dict(hidden_layer_sizes=(8,), max_iter=20, random_state=0)
    return MLPBackpropClassifier(**(defaults | params))


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_same_random_state_gives_bit_identical_weights(solver):
    first = small(solver=solver).fit(X, Y)
    second = small(solver=solver).fit(X, Y)
    for a, b in zip(first.coefs_ + first.intercepts_, second.coefs_ + second.intercepts_,
                    strict=True):
        assert np.array_equal(a, b)


def test_coefs_and_intercepts_are_views_of_one_vector():
    clf = small().fit(X, Y)
    vector = clf.coefs_[0].base
    assert vector is not None and vector.ndim == 1
    assert all(np.shares_memory(array, vector)
               for array in clf.coefs_ + clf.intercepts_)


def test_float32_input_trains_and_predicts_in_float32():
    clf = small().fit(X.astype(np.float32), Y)
    assert all(coef.dtype == np.float32 for coef in clf.coefs_)
    assert clf.predict_proba(X.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("params", [dict(solver="adam"), dict(solver="lbfgs"),
                                    dict(solver="sgd", batch_size=32)], ids=str)
def test_sparse_input_gives_the_dense_weights(params):
    dense = small(**params).fit(X, Y)
    sparse = small(**params).fit(scipy.sparse.csr_matrix(X), Y)
    np.testing.assert_allclose(sparse.coefs_[0], dense.coefs_[0], rtol=1e-10)
    np.testing.assert_allclose(sparse.predict_proba(scipy.sparse.csc_matrix(X)),
                               dense.predict_proba(X), rtol=1e-10)


def test_string_labels_come_back_as_strings():
    labels = np.array(["cat", "dog", "emu"])[Y]
    clf = small().fit(X, labels)
    assert set(clf.predict(X)) <= {"cat", "dog", "emu"}
    np.testing.assert_array_equal(clf.classes_, ["cat", "dog", "emu"])


def test_binary_proba_has_two_columns_that_sum_to_one():
    clf = small().fit(X, Y == 0)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert clf.out_activation_ == "logistic" and clf.n_outputs_ == 1


def test_multiclass_proba_rows_sum_to_one():
    proba = small().fit(X, Y).predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_predict_is_the_most_probable_class():
    clf = small().fit(X, Y)
    np.testing.assert_array_equal(clf.predict(X),
                                  clf.classes_[clf.predict_proba(X).argmax(axis=1)])


def test_multilabel_targets_get_one_logistic_output_per_label():
    features, labels = make_multilabel_classification(n_samples=80, n_classes=4,
                                                      random_state=0)
    clf = small(solver="lbfgs", max_iter=500).fit(features, labels)
    proba = clf.predict_proba(features)
    assert proba.shape == labels.shape
    assert (proba > 0).all() and (proba < 1).all()
    np.testing.assert_array_equal(clf.predict(features), proba > 0.5)


def test_a_single_class_is_always_predicted_with_certainty():
    clf = small().fit(X, np.full(len(X), "only"))
    assert set(clf.predict(X)) == {"only"}
    np.testing.assert_array_equal(clf.predict_proba(X), 1.0)


def test_network_without_hidden_layer_is_logistic_regression():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(), solver="lbfgs").fit(X, Y == 0)
    assert clf.n_layers_ == 2 and clf.coefs_[0].shape == (6, 1)


def test_squared_error_loss_learns():
    clf = small(loss="squared_error", solver="lbfgs", max_iter=200).fit(X, Y)
    assert clf.score(X, Y) > 0.9


def test_warm_start_continues_from_the_fitted_weights_and_curve():
    clf = small(warm_start=True, max_iter=5).fit(X, Y)
    curve = list(clf.loss_curve_)
    clf.fit(X, Y)
    assert clf.loss_curve_[:5] == curve and len(clf.loss_curve_) == 10
    assert clf.loss_curve_[5] < curve[0]


def test_warm_start_starts_from_weights_the_user_assigned():
    donor = small(solver="lbfgs", max_iter=200).fit(X, Y)
    clf = small(warm_start=True, solver="sgd", learning_rate_init=1e-12,
                max_iter=1)
    clf.coefs_ = [coef.copy() for coef in donor.coefs_]
    clf.intercepts_ = [intercept.copy() for intercept in donor.intercepts_]
    clf.fit(X, Y)
    np.testing.assert_allclose(clf.coefs_[0], donor.coefs_[0], atol=1e-9)
    assert clf.loss_curve_[0] == pytest.approx(donor.loss_, rel=1e-9)


def test_without_warm_start_fit_starts_afresh():
    clf = small(max_iter=5).fit(X, Y)
    first = clf.coefs_[0].copy()
    clf.fit(X, Y)
    np.testing.assert_array_equal(clf.coefs_[0], first)
    assert len(clf.loss_curve_) == 5


def test_partial_fit_runs_one_epoch_per_call():
    clf = small()
    for _ in range(3):
        clf.partial_fit(X, Y, classes=[0, 1, 2])
    assert len(clf.loss_curve_) == 3 and clf.t_ == 3 * len(X)


def test_partial_fit_learns_a_class_absent_from_the_first_batch():
    clf = small()
    clf.partial_fit(X[Y != 2], Y[Y != 2], classes=[0, 1, 2])
    clf.partial_fit(X, Y)
    assert clf.predict_proba(X).shape == (len(X), 3)


def test_lbfgs_has_no_partial_fit():
    assert not hasattr(small(solver="lbfgs"), "partial_fit")
    assert hasattr(small(solver="sgd"), "partial_fit")


def test_early_stopping_keeps_the_best_validation_score():
    clf = small(early_stopping=True, max_iter=60, n_iter_no_change=3).fit(X, Y)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert len(clf.validation_scores_) == clf.n_iter_ < 60
    assert clf.best_loss_ is None


def test_verbose_prints_one_line_per_epoch(capsys):
    small(verbose=True, max_iter=4, tol=0).fit(X, Y)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == [f"Iteration {i}" for i in range(1, 5)]


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_reaching_max_iter_unconverged_warns(solver):
    with pytest.warns(ConvergenceWarning, match="converg"):
        small(solver=solver, max_iter=2, tol=0).fit(X, Y)


def test_lbfgs_records_a_loss_per_iteration():
    clf = small(solver="lbfgs", max_iter=15).fit(X, Y)
    assert len(clf.loss_curve_) == clf.n_iter_
    assert clf.loss_curve_[-1] == pytest.approx(clf.loss_)


@pytest.mark.parametrize("X_val", [None, X], ids=["no validation set", "X_val"])
def test_lbfgs_sets_validation_records_only_with_a_validation_set(X_val):
    """MLPClassifier's L-BFGS sets no validation_scores_ and no best_validation_score_."""
    clf = small(solver="lbfgs", max_iter=5).fit(X, Y, X_val=X_val,
                                                y_val=None if X_val is None else Y)
    names = ["validation_scores_", "best_validation_score_", "validation_loss_curve_"]
    assert [hasattr(clf, name) for name in names] == [X_val is not None] * 3


def test_an_lbfgs_refit_drops_the_validation_records_of_an_earlier_fit():
    clf = small(early_stopping=True).fit(X, Y)
    clf.set_params(solver="lbfgs").fit(X, Y)
    assert not hasattr(clf, "validation_scores_")


def test_set_params_after_fit_does_not_change_predictions():
    clf = small(activation="tanh").fit(X, Y)
    before = clf.predict_proba(X)
    clf.set_params(activation="relu", hidden_layer_sizes=(50,))
    np.testing.assert_array_equal(clf.predict_proba(X), before)


def test_clone_is_unfitted_with_the_same_parameters():
    clf = small(solver="sgd").fit(X, Y)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    assert not hasattr(copy, "coefs_")


def test_cross_val_score_runs_every_fold():
    scores = cross_val_score(small(solver="lbfgs", max_iter=100), X, Y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.5  # chance is 1/3


def test_grid_search_in_a_pipeline_reaches_95_percent_on_moons():
    features, labels = make_moons(n_samples=1000, noise=0.2, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(features, labels,
                                                        test_size=0.25, random_state=0)
    pipeline = make_pipeline(StandardScaler(), MLPBackpropClassifier(random_state=0))
    search = GridSearchCV(
        pipeline,
        {"mlpbackpropclassifier__hidden_layer_sizes": [(4,), (16,)],
         "mlpbackpropclassifier__learning_rate_init": [0.001, 0.01]},
        cv=3, n_jobs=2)
    search.fit(X_train, y_train)
    assert search.score(X_test, y_test) >= 0.95


def test_a_list_of_activations_keeps_predicting_after_set_params():
    X = np.random.RandomState(0).normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4, 3), activation=["gelu", "tanh"],
                                solver="lbfgs", max_iter=30, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    clf.set_params(activation="relu")
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_partial_fit_after_an_lbfgs_fit_starts_a_fresh_optimizer():
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5,
                                    random_state=0).fit(X, y)
    clf.set_params(solver="adam").partial_fit(X, y)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 6


def test_partial_fit_after_an_lbfgs_refit_of_other_sizes_starts_a_fresh_update_rule():
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), solver="sgd", max_iter=5,
                                    random_state=0).fit(X, y)
        clf.set_params(solver="lbfgs", hidden_layer_sizes=(5,)).fit(X, y)
    clf.set_params(solver="adam").partial_fit(X, y)
    assert type(clf._optimizer).__name__ == "Adam"


def test_partial_fit_with_another_stochastic_solver_uses_that_solvers_update_rule():
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), solver="sgd", random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    clf.set_params(solver="adam").partial_fit(X, y)
    assert type(clf._optimizer).__name__ == "Adam"
