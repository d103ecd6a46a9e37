"""Bad parameters and data end in an error that names the problem."""

import re

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from skxor import InvalidParameterError, MLPBackpropClassifier

X = np.random.RandomState(0).normal(size=(30, 3))
Y = np.arange(30) % 3

BAD_PARAMETERS = [
    ("hidden_layer_sizes", 0),
    ("hidden_layer_sizes", (10, -1)),
    ("hidden_layer_sizes", (2.5,)),
    ("hidden_layer_sizes", "wide"),
    ("activation", "softmax"),
    ("activation", "swish"),
    ("solver", "newton"),
    ("alpha", -1.0),
    ("alpha", np.nan),
    ("batch_size", 0),
    ("batch_size", "big"),
    ("learning_rate", "cyclic"),
    ("learning_rate_init", 0.0),
    ("learning_rate_init", -0.1),
    ("power_t", -1.0),
    ("max_iter", 0),
    ("max_iter", 10.5),
    ("shuffle", "yes"),
    ("random_state", "seed"),
    ("random_state", -1),
    ("tol", -1e-4),
    ("verbose", -1),
    ("warm_start", 1),
    ("momentum", 1.5),
    ("nesterovs_momentum", None),
    ("early_stopping", "on"),
    ("validation_fraction", -0.1),
    ("validation_fraction", 1.0),
    ("beta_1", 1.0),
    ("beta_2", -0.1),
    ("epsilon", 0.0),
    ("n_iter_no_change", 0),
    ("n_iter_no_change", 2.5),
    ("n_iter_no_change", -np.inf),
    ("max_fun", 0),
    ("loss", "hinge"),
    ("weight_init", "zeros"),
    ("activation", ["relu", "swish"]),
    ("class_weight", "heavy"),
    ("n_init", 0),
]


def test_activation_list_needs_one_name_per_hidden_layer():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4, 3), activation=["relu"])
    with pytest.raises(ValueError, match="activation lists 1 names.*2 hidden layers"):
        clf.fit(X, Y)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"X_val": X}, "X_val is given but y_val is not"),
    ({"y_val": Y}, "y_val is given but X_val is not"),
    ({"sample_weight_val": np.ones(30)}, "sample_weight_val is given without"),
    ({"X_val": X[:, :2], "y_val": Y}, "features"),
    ({"X_val": X, "y_val": Y + 5}, "not in the classes of y"),
    ({"X_val": X, "y_val": Y, "sample_weight_val": np.ones(3)}, "sample_weight.*shape"),
], ids=repr)
def test_bad_validation_set_is_named(arguments, message):
    with pytest.raises(ValueError, match=message):
        MLPBackpropClassifier(max_iter=2).fit(X, Y, **arguments)


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS, ids=repr)
def test_bad_parameter_names_itself_its_value_and_what_is_allowed(name, value):
    clf = MLPBackpropClassifier(**{name: value})
    message = (f"The '{name}' parameter of MLPBackpropClassifier must be .+\\. "
               f"Got {re.escape(repr(value))} instead\\.")
    with pytest.raises(InvalidParameterError, match=message):
        clf.fit(X, Y)


def test_bad_parameter_error_is_caught_as_value_error_and_as_type_error():
    assert issubclass(InvalidParameterError, ValueError)
    assert issubclass(InvalidParameterError, TypeError)


@pytest.mark.parametrize("value", [np.inf, float("inf")])
def test_n_iter_no_change_accepts_infinity_like_mlpclassifier(value):
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), n_iter_no_change=value, tol=1e9,
                                max_iter=4, solver="sgd")
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    assert clf.n_iter_ == 4


BAD_WEIGHTS = [
    (np.ones(29), "shape"),
    (np.ones((30, 1)), "shape"),
    (-np.ones(30), "non-negative"),
    (np.full(30, np.nan), "NaN"),
    (np.zeros(30), "zero"),
    (np.array(["a"] * 30), "numeric"),
]


@pytest.mark.parametrize(("sample_weight", "problem"), BAD_WEIGHTS,
                         ids=[problem for _, problem in BAD_WEIGHTS])
def test_bad_sample_weight_is_refused(sample_weight, problem):
    with pytest.raises(ValueError, match=f"sample_weight.*{problem}|{problem}.*"):
        MLPBackpropClassifier().fit(X, Y, sample_weight=sample_weight)


def test_predict_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        MLPBackpropClassifier().predict(X)


def test_first_partial_fit_needs_classes():
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        MLPBackpropClassifier().partial_fit(X, Y)


def test_partial_fit_refuses_labels_outside_classes():
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        MLPBackpropClassifier().partial_fit(X, Y, classes=[0, 1])


def test_partial_fit_refuses_a_new_label_later():
    clf = MLPBackpropClassifier().partial_fit(X, Y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        clf.partial_fit(X, Y + 1)


def test_partial_fit_refuses_early_stopping():
    with pytest.raises(ValueError, match="early_stopping"):
        MLPBackpropClassifier(early_stopping=True).partial_fit(X, Y, classes=[0, 1, 2])


def test_warm_start_refuses_weights_of_the_wrong_shape():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), warm_start=True)
    clf.coefs_ = [np.zeros((3, 5)), np.zeros((5, 3))]
    clf.intercepts_ = [np.zeros(5), np.zeros(3)]
    with pytest.raises(ValueError, match="coefs_/intercepts_ have shapes"):
        clf.fit(X, Y)


@pytest.mark.usefixtures("quiet_convergence")
def test_warm_start_refuses_different_classes():
    clf = MLPBackpropClassifier(warm_start=True, max_iter=5).fit(X, Y)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the "
                                         "same classes"):
        clf.fit(X, Y % 2)


def test_tiny_validation_set_is_refused():
    with pytest.raises(ValueError, match="The validation set is too small"):
        MLPBackpropClassifier(early_stopping=True).fit(X[:6], Y[:6])


def with_nan(array):
    array = array.astype(float)
    array[3, 1] = np.nan
    return array


def with_inf(array):
    array = array.astype(float)
    array[3, 1] = np.inf
    return array


BAD_DATA = [
    ("X with NaN", with_nan(X), Y, "Input X contains NaN"),
    ("X with infinity", with_inf(X), Y, "Input X contains infinity"),
    ("X with no rows", X[:0], Y[:0], r"0 sample\(s\)"),
    ("X with no columns", X[:, :0], Y, r"0 feature\(s\)"),
    ("1-D X", X[:, 0], Y, "Expected 2D array"),
    ("3-D X", X.reshape(30, 3, 1), Y, "dim 3"),
    ("text in X", np.array([["a", "b", "c"]] * 30), Y, "X must be numeric"),
    ("complex X", X + 1j, Y, "Complex data not supported"),
    ("X and y of different lengths", X, Y[:-1], r"inconsistent numbers of samples"),
    ("y missing", X, None, "requires y to be passed"),
    ("NaN in y", X, np.where(Y == 2, np.nan, Y), "Input y contains NaN"),
    ("continuous y", X, np.linspace(0, 1, 30), "Unknown label type"),
    ("several label columns in y", X, np.array([["a", "b"], ["c", "d"]] * 15),
     "multiclass-multioutput"),
]


@pytest.mark.parametrize(("case", "features", "labels", "problem"), BAD_DATA,
                         ids=[case[0] for case in BAD_DATA])
def test_bad_training_data_is_refused_before_training(case, features, labels, problem):
    with pytest.raises(ValueError, match=problem):
        MLPBackpropClassifier().fit(features, labels)


BAD_PREDICT_DATA = [
    ("X with NaN", with_nan(X), "Input X contains NaN"),
    ("1-D X", X[0], "Expected 2D array"),
    ("text in X", np.array([["a", "b", "c"]]), "X must be numeric"),
    ("too few columns", X[:, :2], "3 features"),
]


@pytest.mark.parametrize(("case", "features", "problem"), BAD_PREDICT_DATA,
                         ids=[case[0] for case in BAD_PREDICT_DATA])
@pytest.mark.parametrize("method", ["predict", "predict_proba", "predict_log_proba"])
@pytest.mark.usefixtures("quiet_convergence")
def test_bad_prediction_data_is_refused(case, features, problem, method):
    clf = MLPBackpropClassifier(max_iter=5).fit(X, Y)
    with pytest.raises(ValueError, match=problem):
        getattr(clf, method)(features)
