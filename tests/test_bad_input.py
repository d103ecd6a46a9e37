"""Bad parameters and data end in a ValueError that names the problem."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skxor import MLPBackpropClassifier

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
    ("validation_fraction", 0.0),
    ("validation_fraction", 1.0),
    ("beta_1", 1.0),
    ("beta_2", -0.1),
    ("epsilon", 0.0),
    ("n_iter_no_change", 0),
    ("max_fun", 0),
    ("loss", "hinge"),
    ("weight_init", "zeros"),
]


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS, ids=repr)
def test_bad_parameter_names_itself_and_its_value(name, value):
    clf = MLPBackpropClassifier(**{name: value})
    with pytest.raises(ValueError, match=f"'{name}'.*{repr(value)[:8]}.*must be"):
        clf.fit(X, Y)


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


def test_continuous_target_is_refused():
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPBackpropClassifier().fit(X, np.linspace(0, 1, 30))


def test_predict_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        MLPBackpropClassifier().predict(X)


def test_predict_with_the_wrong_feature_count_is_refused():
    clf = MLPBackpropClassifier(max_iter=5).fit(X, Y)
    with pytest.raises(ValueError, match="3 features"):
        clf.predict(X[:, :2])


def test_first_partial_fit_needs_classes():
    with pytest.raises(ValueError, match="classes must be given"):
        MLPBackpropClassifier().partial_fit(X, Y)


def test_partial_fit_refuses_labels_outside_classes():
    with pytest.raises(ValueError, match="not in classes"):
        MLPBackpropClassifier().partial_fit(X, Y, classes=[0, 1])


def test_partial_fit_refuses_a_new_label_later():
    clf = MLPBackpropClassifier().partial_fit(X, Y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="not in classes_"):
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


def test_warm_start_refuses_different_classes():
    clf = MLPBackpropClassifier(warm_start=True, max_iter=5).fit(X, Y)
    with pytest.raises(ValueError, match="same classes"):
        clf.fit(X, Y % 2)


def test_tiny_validation_set_is_refused():
    with pytest.raises(ValueError, match="validation set"):
        MLPBackpropClassifier(early_stopping=True).fit(X[:6], Y[:6])
