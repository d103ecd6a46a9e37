"""ONNX export: onnxruntime on the exported graph answers as the fitted estimator does."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier, MLPBackpropRegressor
from skxor.network.activations import ALIASES, hidden_activation_names, output_activation_names

skl2onnx = pytest.importorskip("skl2onnx")
onnxruntime = pytest.importorskip("onnxruntime")
pytest.importorskip("skxor.onnx")

pytestmark = pytest.mark.usefixtures("quiet_convergence")

X, LABELS = make_classification(n_samples=120, n_features=5, n_informative=3, n_classes=3,
                                random_state=0)
TARGETS = {
    "binary": LABELS % 2,
    "multiclass": LABELS,
    "multilabel": np.stack([LABELS == 0, LABELS == 2], axis=1).astype(int),
    "text labels": np.array(["ant", "bee", "cat"])[LABELS],
}
ACTIVATIONS = [*(name for name in hidden_activation_names() if name not in ALIASES),
               ["gelu", "tanh"]]
"""Every hidden activation the registry holds, and one mixed list of them."""
TOLERANCE = {np.float32: 1e-5, np.float64: 1e-12}


def run(model, X_input, **options):
    onx = skl2onnx.to_onnx(model, X_input[:1], options=options or None)
    session = onnxruntime.InferenceSession(onx.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: X_input})


def hidden_for(activation):
    return (6, 5) if isinstance(activation, list) else (6,)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("activation", ACTIVATIONS, ids=str)
def test_the_exported_classifier_gives_skxors_labels_and_probabilities(activation, target,
                                                                      dtype):
    X_dtype = X.astype(dtype)
    clf = MLPBackpropClassifier(hidden_for(activation), activation=activation, max_iter=30,
                                random_state=0).fit(X_dtype, TARGETS[target])
    labels, probabilities = run(clf, X_dtype, zipmap=False)
    np.testing.assert_array_equal(labels, clf.predict(X_dtype))
    np.testing.assert_allclose(probabilities, clf.predict_proba(X_dtype), rtol=0,
                               atol=TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
@pytest.mark.parametrize("activation", ACTIVATIONS, ids=str)
def test_the_exported_regressor_gives_skxors_predictions(activation, loss, dtype):
    X_dtype = X.astype(dtype)
    y = np.abs(X[:, :2])
    reg = MLPBackpropRegressor(loss, hidden_for(activation), activation=activation,
                               max_iter=30, random_state=0).fit(X_dtype, y)
    (predicted,) = run(reg, X_dtype)
    np.testing.assert_allclose(predicted, reg.predict(X_dtype), rtol=0,
                               atol=TOLERANCE[dtype] * max(1.0, np.abs(predicted).max()))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("out_activation", output_activation_names())
def test_an_exported_bounded_output_gives_skxors_predictions(out_activation, dtype):
    X_dtype = X.astype(dtype)
    y = 1 / (1 + np.exp(-X[:, :2]))  # in (0, 1), within every activation's range
    reg = MLPBackpropRegressor(hidden_layer_sizes=(6,), out_activation=out_activation,
                               max_iter=30, random_state=0).fit(X_dtype, y)
    (predicted,) = run(reg, X_dtype)
    np.testing.assert_allclose(predicted, reg.predict(X_dtype), rtol=0,
                               atol=TOLERANCE[dtype] * max(1.0, np.abs(predicted).max()))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exported_quantiles_are_sorted_as_predict_sorts_them(dtype):
    X_dtype = X.astype(dtype)
    reg = MLPBackpropRegressor("quantile", (6,), quantile=[0.1, 0.5, 0.9], max_iter=30,
                               random_state=0).fit(X_dtype, X[:, 0] + X[:, 1])
    reg.coefs_[-1][:] = reg.coefs_[-1][:, ::-1].copy()  # make the outputs cross
    reg.intercepts_[-1][:] = reg.intercepts_[-1][::-1].copy()
    (predicted,) = run(reg, X_dtype)
    assert predicted.shape == (len(X), 3)
    np.testing.assert_allclose(predicted, reg.predict(X_dtype), rtol=0,
                               atol=TOLERANCE[dtype] * max(1.0, np.abs(predicted).max()))


def test_a_pipeline_exports_with_zipmap_by_default():
    X32 = (10 * X).astype(np.float32)
    pipeline = make_pipeline(StandardScaler(),
                             MLPBackpropClassifier((6,), max_iter=30, random_state=0))
    pipeline.fit(X32, LABELS)
    labels, probabilities = run(pipeline, X32)
    np.testing.assert_array_equal(labels, pipeline.predict(X32))
    assert isinstance(probabilities[0], dict) and sorted(probabilities[0]) == [0, 1, 2]
    np.testing.assert_allclose([row[1] for row in probabilities],
                               pipeline.predict_proba(X32)[:, 1], atol=1e-5)


def test_zipmap_columns_gives_one_output_per_class():
    clf = MLPBackpropClassifier((6,), max_iter=30, random_state=0).fit(X, LABELS)
    outputs = run(clf, X.astype(np.float32), zipmap="columns")
    assert len(outputs) == 1 + len(clf.classes_)
    np.testing.assert_allclose(np.column_stack(outputs[1:]),
                               clf.predict_proba(X.astype(np.float32)), atol=1e-5)


def test_nocl_labels_are_class_indices():
    words = TARGETS["text labels"]
    clf = MLPBackpropClassifier((6,), max_iter=30, random_state=0).fit(X, words)
    labels, _ = run(clf, X.astype(np.float32), zipmap=False, nocl=True)
    np.testing.assert_array_equal(labels, np.searchsorted(clf.classes_,
                                                          clf.predict(X.astype(np.float32))))


def test_labels_onnx_cannot_hold_are_refused_at_export():
    clf = MLPBackpropClassifier((3,), max_iter=5, random_state=0).fit(
        X, (LABELS % 2).astype(float))
    with pytest.raises(NotImplementedError, match="integer or text class labels"):
        skl2onnx.to_onnx(clf, X[:1].astype(np.float32))
