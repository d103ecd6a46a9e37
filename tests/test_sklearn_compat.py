"""Drop-in compatibility with sklearn.neural_network.MLPClassifier."""

import inspect
import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn_version import needs_sklearn

from skxor import MLPBackpropClassifier

needs_sklearn_1_7 = needs_sklearn((1, 7), "MLPClassifier takes sample_weight from 1.7")


def test_every_mlpclassifier_parameter_exists_with_the_same_default():
    theirs = MLPClassifier().get_params()
    ours = MLPBackpropClassifier().get_params()
    assert {name: ours[name] for name in theirs} == theirs


def test_every_parameter_is_documented_in_signature_order():
    documented = re.findall(r"^    (\w+) : ", MLPBackpropClassifier.__doc__, re.M)
    assert documented[:len(MLPBackpropClassifier().get_params())] == list(
        inspect.signature(MLPBackpropClassifier).parameters)


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


@pytest.mark.parametrize("target", ["binary", "multiclass"])
def test_early_stopping_holds_out_mlpclassifiers_rows(digits, target):
    X, y = digits
    y = y >= 5 if target == "binary" else y
    kwargs = dict(hidden_layer_sizes=(20,), max_iter=30, random_state=0,
                  early_stopping=True, n_iter_no_change=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPBackpropClassifier(**kwargs).fit(X, y)
        theirs = MLPClassifier(**kwargs).fit(X, y)
    assert ours.validation_scores_ == pytest.approx(theirs.validation_scores_, abs=1e-12)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], rtol=1e-7, atol=1e-9)


def test_warm_fit_after_a_stall_stops_after_one_epoch_like_mlpclassifier(digits):
    X, y = digits
    kwargs = dict(hidden_layer_sizes=(10,), solver="sgd", tol=0.5, warm_start=True,
                  random_state=0)
    ours = MLPBackpropClassifier(**kwargs).fit(X, y).fit(X, y)
    theirs = MLPClassifier(**kwargs).fit(X, y).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 1
    assert ours._no_improvement_count == theirs._no_improvement_count


VERBOSE_RUNS = [
    dict(solver="sgd", learning_rate="adaptive", learning_rate_init=2e-5, tol=0.05,
         n_iter_no_change=1, max_iter=200),
    dict(solver="adam", early_stopping=True, n_iter_no_change=2, max_iter=30),
    dict(solver="sgd", max_iter=3),
]


@pytest.mark.parametrize("params", VERBOSE_RUNS, ids=str)
def test_verbose_prints_mlpclassifiers_lines(digits, capsys, params):
    X, y = digits
    kwargs = dict(hidden_layer_sizes=(10,), random_state=0, verbose=True) | params
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPBackpropClassifier(**kwargs).fit(X, y)
        ours = capsys.readouterr().out
        MLPClassifier(**kwargs).fit(X, y)
        theirs = capsys.readouterr().out
    assert ours == theirs


def test_verbose_run_reaches_the_adaptive_schedules_last_words(digits, capsys):
    X, y = digits
    MLPBackpropClassifier(hidden_layer_sizes=(10,), random_state=0, verbose=True,
                          **VERBOSE_RUNS[0]).fit(X, y)
    printed = capsys.readouterr().out
    assert "Setting learning rate to 0.000004" in printed
    assert printed.endswith("Learning rate too small. Stopping.\n")


@needs_sklearn((1, 7), "MLPClassifier's lbfgs warning took its present words in 1.7")
@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_convergence_warning_has_mlpclassifiers_words(digits, solver):
    X, y = digits
    kwargs = dict(hidden_layer_sizes=(10,), solver=solver, max_iter=3, random_state=0)
    with pytest.warns(ConvergenceWarning) as ours:
        MLPBackpropClassifier(**kwargs).fit(X, y)
    with pytest.warns(ConvergenceWarning) as theirs:
        MLPClassifier(**kwargs).fit(X, y)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


@pytest.mark.usefixtures("quiet_convergence")
def test_batch_size_above_the_sample_count_warns_like_mlpclassifier(digits):
    X, y = digits
    kwargs = dict(hidden_layer_sizes=(5,), batch_size=1000, max_iter=2, tol=1e3,
                  random_state=0)
    with pytest.warns(UserWarning, match="Got `batch_size` less than 1 or larger than "
                                         "sample size. It is going to be clipped"):
        MLPBackpropClassifier(**kwargs).fit(X, y)


@needs_sklearn_1_7
def test_partial_fit_takes_sample_weight_third_like_mlpclassifier(digits):
    X, y = digits
    weights = np.linspace(0.5, 2, len(y))
    ours = MLPBackpropClassifier(random_state=0).partial_fit(X, y, weights, np.unique(y))
    theirs = MLPClassifier(random_state=0).partial_fit(X, y, weights, np.unique(y))
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("later_classes", [[9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                                           [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
def test_partial_fit_compares_classes_as_label_sets(digits, later_classes):
    X, y = digits
    clf = MLPBackpropClassifier(random_state=0).partial_fit(X, y, classes=np.arange(10))
    clf.partial_fit(X, y, classes=later_classes)
    np.testing.assert_array_equal(clf.classes_, np.arange(10))


@needs_sklearn_1_7
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


def test_an_unknown_parameter_is_a_type_error_naming_it_and_the_class():
    with pytest.raises(TypeError, match=r"MLPBackpropClassifier\(\) got an unexpected keyword "
                                        r"argument 'hidden_layers'"):
        MLPBackpropClassifier(hidden_layers=(5,))


def test_a_keyword_only_parameter_given_by_position_is_a_type_error():
    with pytest.raises(TypeError, match=r"MLPBackpropClassifier\(\) too many positional"):
        MLPBackpropClassifier((5,), "relu", "adam")
