"""``dtype``: the float type a model trains and predicts in, whatever X's."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

from skxor import InvalidParameterError, MLPBackpropClassifier, MLPBackpropRegressor
from skxor.data.placement import compute_dtypes

X = np.random.RandomState(0).normal(size=(60, 4))
Y = np.arange(60) % 3
PARAMS = dict(hidden_layer_sizes=(6,), max_iter=15, random_state=0)


def fitted(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def assert_same_weights(model, other):
    for ours, theirs in zip(model.coefs_ + model.intercepts_,
                            other.coefs_ + other.intercepts_, strict=True):
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("dtype", ["float32", np.float32])
def test_float32_on_float64_data_trains_as_float32_data_does(dtype):
    converted = fitted(MLPBackpropClassifier(**PARAMS, dtype=dtype), X, Y)
    given = fitted(MLPBackpropClassifier(**PARAMS), X.astype(np.float32), Y)
    assert converted.coefs_[0].dtype == np.float32
    assert_same_weights(converted, given)


def test_float64_on_float32_data_trains_as_float64_data_does():
    converted = fitted(MLPBackpropRegressor(**PARAMS, dtype="float64"), X.astype(np.float32),
                       X[:, 0])
    given = fitted(MLPBackpropRegressor(**PARAMS), X.astype(np.float32).astype(np.float64),
                   X[:, 0])
    assert converted.coefs_[0].dtype == np.float64
    assert_same_weights(converted, given)


def test_none_follows_x_as_scikit_learn_does():
    assert fitted(MLPBackpropClassifier(**PARAMS), X.astype(np.float32),
                  Y).coefs_[0].dtype == np.float32
    assert fitted(MLPBackpropClassifier(**PARAMS), X, Y).coefs_[0].dtype == np.float64


@pytest.mark.parametrize("X_dtype", [np.float64, np.float32])
def test_predict_converts_either_float_type_of_x_to_the_compute_dtype(X_dtype):
    clf = fitted(MLPBackpropClassifier(**PARAMS, dtype="float32"), X, Y)
    proba = clf.predict_proba(X.astype(X_dtype))
    assert proba.dtype == np.float32
    np.testing.assert_array_equal(proba, clf.predict_proba(X.astype(np.float32)))
    np.testing.assert_array_equal(clf.predict(X.astype(X_dtype)),
                                  clf.predict(X.astype(np.float32)))


def test_the_regressor_predicts_in_its_compute_dtype():
    reg = fitted(MLPBackpropRegressor(**PARAMS, dtype="float32"), X, X[:, 0])
    assert reg.predict(X).dtype == np.float32


def test_sparse_x_trains_in_the_compute_dtype():
    clf = fitted(MLPBackpropClassifier(**PARAMS, dtype="float32"), sp.csr_matrix(X), Y)
    dense = fitted(MLPBackpropClassifier(**PARAMS, dtype="float32"), X, Y)
    assert clf.coefs_[0].dtype == np.float32
    np.testing.assert_allclose(clf.coefs_[0], dense.coefs_[0], rtol=1e-5, atol=1e-6)


def test_a_warm_start_continues_in_the_compute_dtype():
    clf = fitted(MLPBackpropClassifier(**PARAMS, dtype="float32", warm_start=True), X, Y)
    fitted(clf, X, Y)
    assert clf.coefs_[0].dtype == np.float32 and len(clf.loss_curve_) == 30


@pytest.mark.parametrize("dtype", ["float16", "int32", np.int64, "double", 32])
def test_other_dtypes_raise_invalid_parameter_error(dtype):
    with pytest.raises(InvalidParameterError, match="The 'dtype' parameter of "
                                                    "MLPBackpropClassifier must be"):
        MLPBackpropClassifier(dtype=dtype).fit(X, Y)


class _Float32OnlyDevice:
    """A placement whose device has no float64, as Apple's MPS has none."""

    def float_dtypes(self):
        return (np.float32,)

    def describe(self):
        return "a namespace on device mps"


def test_a_dtype_the_device_lacks_is_refused_naming_what_it_has():
    with pytest.raises(ValueError, match="dtype='float64' is not available on a namespace on "
                                         "device mps, which computes in float32"):
        compute_dtypes(_Float32OnlyDevice(), "float64")


def test_a_float32_model_exports_a_float32_onnx_graph_from_float64_inputs():
    pytest.importorskip("skl2onnx")
    onnxruntime = pytest.importorskip("onnxruntime")
    import skl2onnx

    import skxor.onnx  # noqa: F401  registers the converters

    clf = fitted(MLPBackpropClassifier(**PARAMS, dtype="float32"), X, Y)
    graph = skl2onnx.to_onnx(clf, X[:1], options={"zipmap": False})
    float_initializers = {tensor.data_type for tensor in graph.graph.initializer} - {7}
    assert float_initializers == {1}  # FLOAT only: no DOUBLE weights
    session = onnxruntime.InferenceSession(graph.SerializeToString())
    labels, proba = session.run(None, {"X": X})
    np.testing.assert_allclose(proba, clf.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(labels, clf.predict(X))
