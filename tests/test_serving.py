"""Predicting a row at a time: the fast path skips no check that applies."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse

import skxor._prediction
from skxor import MLPBackpropClassifier, MLPBackpropRegressor

pytestmark = pytest.mark.usefixtures("quiet_convergence")

X = np.random.RandomState(0).normal(size=(60, 4))
Y = np.arange(60) % 3


@pytest.fixture
def fitted():
    return MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0).fit(X, Y)


@pytest.fixture
def counting_validation(monkeypatch):
    """The number of ``validate_data`` calls made by predictions, in a list."""
    calls = []
    original = skxor._prediction.validate_data

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(skxor._prediction, "validate_data", counted)
    return calls


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_plain_float_array_skips_validate_data_and_predicts_the_same(
        fitted, dtype, counting_validation, monkeypatch):
    row = X[:1].astype(dtype)
    fast = fitted.predict_proba(row)
    assert counting_validation == []
    monkeypatch.setattr(MLPBackpropClassifier, "_needs_no_checks", lambda estimator, X: False)
    np.testing.assert_array_equal(fast, fitted.predict_proba(row))
    assert counting_validation == [1]


@pytest.mark.parametrize("rows", [
    X[:1].tolist(), X[:1].astype(int), scipy.sparse.csr_matrix(X[:1]), X[:1, :3],
    np.array([[np.nan, 0, 0, 0]]), np.empty((0, 4)), X[:1].astype(">f8"),
])
def test_anything_else_goes_through_validate_data(fitted, rows, counting_validation):
    try:
        fitted.predict(rows)
    except ValueError:
        pass
    assert counting_validation == [1]


def test_the_errors_are_validate_datas(fitted):
    with pytest.raises(ValueError, match="X has 3 features, but MLPBackpropClassifier is "
                                         "expecting 4 features"):
        fitted.predict(X[:1, :3])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        fitted.predict(np.array([[np.nan, 0.0, 0.0, 0.0]]))


def test_a_model_fitted_on_named_columns_still_warns_about_an_unnamed_array():
    frame = pd.DataFrame(X, columns=list("abcd"))
    clf = MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    clf.fit(frame, Y)
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        clf.predict(X[:1])


def test_prediction_follows_weights_assigned_after_the_fit(fitted):
    before = fitted.predict_proba(X[:3])
    fitted.coefs_ = [np.zeros_like(coef) for coef in fitted.coefs_]
    fitted.intercepts_ = [np.zeros_like(intercept) for intercept in fitted.intercepts_]
    np.testing.assert_allclose(fitted.predict_proba(X[:3]), np.full((3, 3), 1 / 3))
    assert not np.allclose(before, 1 / 3)


def test_the_regressor_takes_the_same_path(counting_validation):
    reg = MLPBackpropRegressor(hidden_layer_sizes=(8,), max_iter=5, random_state=0).fit(X, Y)
    counting_validation.clear()
    assert reg.predict(X[:1]).shape == (1,)
    assert counting_validation == []


@pytest.mark.parametrize("estimator_class", [MLPBackpropClassifier, MLPBackpropRegressor])
@pytest.mark.parametrize("changed", [{"loss": "bogus"}, {"solver": "bogus", "alpha": -1.0},
                                     {"activation": "bogus", "hidden_layer_sizes": (2, 2)}],
                         ids=["loss", "solver", "activation"])
def test_prediction_reads_no_training_parameter(estimator_class, changed):
    model = estimator_class(hidden_layer_sizes=(8,), max_iter=5, random_state=0).fit(X, Y)
    expected = model.predict(X)
    model.set_params(**changed)
    np.testing.assert_array_equal(model.predict(X), expected)
    model.score(X, Y)
