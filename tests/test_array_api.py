"""Fits on other array namespaces under scikit-learn's array API dispatch.

array-api-strict runs everywhere (it is in the test extra); PyTorch runs where
it is importable (``.ci/run`` installs a CPU build), on its CPU device, and on
CUDA as well where a GPU is present.
"""

import re
from pathlib import Path

import numpy as np
import pytest
import sklearn
from arrays import host
from sklearn import config_context
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

pytestmark = pytest.mark.usefixtures("quiet_convergence")


def _torch_devices():
    try:
        import torch
    except ImportError:
        return []
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


NAMESPACES = ["array_api_strict"] + [f"torch:{device}" for device in _torch_devices()]


def to_namespace(namespace, array):
    """``array`` (NumPy) as an array of ``namespace`` ("array_api_strict" or "torch:DEVICE")."""
    if namespace == "array_api_strict":
        import array_api_strict

        return array_api_strict.asarray(array)
    import torch

    return torch.asarray(array, device=namespace.split(":")[1])


def namespace_name(array):
    return type(array).__module__.split(".")[0]


X, LABELS = make_classification(n_samples=80, n_features=6, n_informative=4, n_classes=3,
                                 random_state=0)
TARGETS = {
    "binary": (LABELS == 1).astype(int),
    "multiclass": LABELS,
    "multilabel": np.stack([LABELS == 0, LABELS == 2], axis=1).astype(int),
}
PARAMS = dict(hidden_layer_sizes=(7,), activation="tanh", max_iter=30, batch_size=16,
              random_state=0)

TOLERANCE = {("float64", "sgd"): 1e-6, ("float64", "adam"): 1e-6, ("float64", "lbfgs"): 1e-6,
             ("float32", "sgd"): 1e-5, ("float32", "adam"): 1e-5,
             # L-BFGS's line search magnifies float32 rounding (softmax shifts and sums
             # are ordered differently): see benchmarks/lbfgs_rounding.py for NumPy alone
             ("float32", "lbfgs"): 5e-2}


def fit_both(namespace, dtype, solver, target, **extra):
    """The NumPy fit and the fit on ``namespace`` of the same problem."""
    params = {**PARAMS, "solver": solver, **extra}
    X_dtype = X.astype(dtype)
    reference = MLPBackpropClassifier(**params).fit(X_dtype, target)
    with config_context(array_api_dispatch=True):
        fitted = MLPBackpropClassifier(**params).fit(to_namespace(namespace, X_dtype), target)
    return reference, fitted


@pytest.mark.parametrize("target_kind", list(TARGETS))
@pytest.mark.parametrize("dtype", ["float64", pytest.param("float32", marks=pytest.mark.slow)])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("namespace", NAMESPACES)
def test_a_fit_on_a_namespace_matches_the_numpy_fit(namespace, solver, dtype, target_kind):
    target = TARGETS[target_kind]
    reference, fitted = fit_both(namespace, dtype, solver, target)
    tolerance = TOLERANCE[dtype, solver]
    X_ns = to_namespace(namespace, X.astype(dtype))
    with config_context(array_api_dispatch=True):
        proba, labels = fitted.predict_proba(X_ns), fitted.predict(X_ns)
    assert fitted.n_iter_ == reference.n_iter_
    for mine, theirs in zip(fitted.coefs_ + fitted.intercepts_,
                            reference.coefs_ + reference.intercepts_, strict=True):
        np.testing.assert_allclose(host(mine), theirs, atol=tolerance, rtol=0)
    np.testing.assert_allclose(host(proba), reference.predict_proba(X.astype(dtype)),
                               atol=tolerance, rtol=0)
    agree = np.mean(host(labels) == reference.predict(X.astype(dtype)))
    assert agree == 1.0 or (solver, dtype) == ("lbfgs", "float32") and agree > 0.95
    np.testing.assert_allclose(fitted.loss_curve_, reference.loss_curve_,
                               rtol=max(tolerance, 1e-12))


TOOLKIT = dict(lr_schedule="cosine", warmup=2, weight_decay=0.01, max_grad_norm=0.05)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("namespace", NAMESPACES)
def test_the_training_toolkit_trains_on_a_namespace_as_on_numpy(namespace, solver):
    params = {**PARAMS, "solver": solver, **TOOLKIT, "dtype": "float32"}
    reference = MLPBackpropClassifier(**params).fit(X, LABELS)
    with config_context(array_api_dispatch=True):
        fitted = MLPBackpropClassifier(**params).fit(to_namespace(namespace, X), LABELS)
    assert str(fitted.coefs_[0].dtype).endswith("float32")
    assert namespace_name(fitted.coefs_[0]) == namespace_name(to_namespace(namespace, X))
    for mine, theirs in zip(fitted.coefs_ + fitted.intercepts_,
                            reference.coefs_ + reference.intercepts_, strict=True):
        np.testing.assert_allclose(host(mine), theirs, atol=1e-5, rtol=0)
    assert fitted.learning_rate_curve_ == pytest.approx(reference.learning_rate_curve_)
    unclipped = MLPBackpropClassifier(**{**params, "max_grad_norm": None}).fit(X, LABELS)
    assert np.abs(unclipped.coefs_[0] - reference.coefs_[0]).max() > 1e-3  # clipping acted


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_fitted_weights_and_outputs_live_in_xs_namespace_and_dtype(namespace):
    X_ns = to_namespace(namespace, X.astype(np.float32))
    with config_context(array_api_dispatch=True):
        fitted = MLPBackpropClassifier(**PARAMS, solver="adam").fit(X_ns, LABELS)
        outputs = [fitted.predict(X_ns), fitted.predict_proba(X_ns),
                   fitted.predict_log_proba(X_ns)]
    expected = namespace_name(X_ns)
    for array in [*fitted.coefs_, *fitted.intercepts_, *outputs]:
        assert namespace_name(array) == expected
    assert str(fitted.coefs_[0].dtype).endswith("float32")
    assert str(outputs[1].dtype).endswith("float32")
    assert isinstance(fitted.loss_, float) and all(
        isinstance(loss, float) for loss in fitted.loss_curve_)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_text_labels_come_back_as_numpy_as_in_logistic_regression(namespace):
    words = np.array(["ham", "spam", "eggs"])[LABELS]
    with config_context(array_api_dispatch=True):
        X_ns = to_namespace(namespace, X)
        fitted = MLPBackpropClassifier(**PARAMS, solver="lbfgs").fit(X_ns, words)
        predicted = fitted.predict(X_ns)
    assert isinstance(predicted, np.ndarray) and set(predicted) <= {"ham", "spam", "eggs"}


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_predicting_from_another_namespace_names_the_method(namespace):
    with config_context(array_api_dispatch=True):
        fitted = MLPBackpropClassifier(**PARAMS, solver="lbfgs").fit(
            to_namespace(namespace, X), LABELS)
        for method in ("predict", "predict_proba", "predict_log_proba"):
            with pytest.raises(ValueError, match=rf"MLPBackpropClassifier\.{method}\(\) must "
                                                 "use the same namespace"):
                getattr(fitted, method)(X)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_a_model_fitted_on_a_namespace_predicts_numpy_without_dispatch(namespace):
    with config_context(array_api_dispatch=True):
        fitted = MLPBackpropClassifier(**PARAMS, solver="lbfgs").fit(
            to_namespace(namespace, X), LABELS)
        expected = host(fitted.predict_proba(to_namespace(namespace, X)))
    np.testing.assert_allclose(fitted.predict_proba(X), expected)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_early_stopping_holds_out_the_same_rows_on_a_namespace(namespace):
    reference, fitted = fit_both(namespace, "float64", "adam", TARGETS["binary"],
                                 early_stopping=True, validation_fraction=0.25)
    np.testing.assert_allclose(fitted.validation_scores_, reference.validation_scores_)
    np.testing.assert_allclose(host(fitted.coefs_[0]), reference.coefs_[0], atol=1e-9)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_sample_weights_move_to_x_and_zero_weight_batches_are_skipped(namespace):
    weights = np.where(np.arange(80) < 16, 0.0, 1.0 + np.arange(80) % 3)
    params = {**PARAMS, "solver": "sgd", "shuffle": False}
    reference = MLPBackpropClassifier(**params).fit(X, LABELS, sample_weight=weights)
    with config_context(array_api_dispatch=True):
        fitted = MLPBackpropClassifier(**params).fit(
            to_namespace(namespace, X), LABELS,
            sample_weight=to_namespace(namespace, weights))
    np.testing.assert_allclose(host(fitted.coefs_[0]), reference.coefs_[0], atol=1e-9)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_partial_fit_and_warm_start_continue_on_the_namespace(namespace):
    X_ns = to_namespace(namespace, X)
    reference = MLPBackpropClassifier(**PARAMS, solver="adam", warm_start=True)
    fitted = MLPBackpropClassifier(**PARAMS, solver="adam", warm_start=True)
    with config_context(array_api_dispatch=True):
        for estimator, data in ((reference, X), (fitted, X_ns)):
            estimator.fit(data, LABELS).fit(data, LABELS)
            estimator.partial_fit(data, LABELS)
    assert fitted.n_iter_ == reference.n_iter_
    np.testing.assert_allclose(host(fitted.coefs_[1]), reference.coefs_[1], atol=1e-9)


def test_pipeline_and_grid_search_train_on_torch_tensors():
    torch = pytest.importorskip("torch")
    X_torch, y_torch = torch.asarray(X), torch.asarray(LABELS)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), MLPBackpropClassifier(**PARAMS, solver="lbfgs")),
        {"mlpbackpropclassifier__alpha": [1e-4, 1e-1]}, cv=3)
    with config_context(array_api_dispatch=True):
        search.fit(X_torch, y_torch)
        predicted = search.predict(X_torch)
    assert isinstance(predicted, torch.Tensor)
    assert isinstance(search.best_estimator_[-1].coefs_[0], torch.Tensor)
    assert search.best_score_ > 0.6


@pytest.fixture
def reads_of_fit(monkeypatch):
    """``reads_of_fit(**params)``: how often a torch fit with ``params`` reads the device."""
    torch = pytest.importorskip("torch")
    reads = []
    for name in ("__float__", "__bool__", "item", "cpu", "numpy", "tolist"):
        original = getattr(torch.Tensor, name)

        def counted(self, *args, _original=original, **kwargs):
            reads.append(1)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, counted)

    def count(sample_weight=None, **params):
        reads.clear()
        with config_context(array_api_dispatch=True):
            MLPBackpropClassifier(**{**PARAMS, **params}).fit(
                torch.asarray(X), LABELS,
                sample_weight=None if sample_weight is None else torch.asarray(sample_weight))
        return len(reads)

    return count


def test_an_epoch_reads_the_device_a_fixed_number_of_times(reads_of_fit):
    """sgd and adam read results back once per epoch, not once per batch."""
    assert (reads_of_fit(max_iter=3, batch_size=4)
            == reads_of_fit(max_iter=3, batch_size=80))


def test_clipping_decay_and_schedules_read_nothing_back_per_batch(reads_of_fit):
    assert (reads_of_fit(max_iter=3, batch_size=4, **TOOLKIT)
            == reads_of_fit(max_iter=3, batch_size=80, **TOOLKIT))


def test_sample_weights_come_back_to_the_host_once_per_start_not_per_epoch(reads_of_fit):
    weights = np.linspace(0.5, 2.0, len(X))
    weighted = (reads_of_fit(weights, max_iter=6, tol=0.0)
                - reads_of_fit(weights, max_iter=3, tol=0.0))
    unweighted = reads_of_fit(max_iter=6, tol=0.0) - reads_of_fit(max_iter=3, tol=0.0)
    assert weighted == unweighted


def test_the_guides_three_lines_train_on_a_tensor():
    torch = pytest.importorskip("torch")
    readme = (Path(__file__).parent.parent / "docs" / "guide" / "array_api.md").read_text()
    block = re.search(r"```python\n(sklearn\.set_config\(array_api_dispatch=True\).*?)```",
                      readme, re.S).group(1)
    if not torch.cuda.is_available():
        block = block.replace('device="cuda"', 'device="cpu"')
    names = {"sklearn": sklearn, "torch": torch, "MLPBackpropClassifier": MLPBackpropClassifier,
             "X": X, "y": LABELS}
    try:
        exec(block, names)
    finally:
        sklearn.set_config(array_api_dispatch=False)
    assert isinstance(names["clf"].coefs_[0], torch.Tensor)
    with config_context(array_api_dispatch=True):
        assert names["clf"].score(names["X_gpu"], names["y_gpu"]) > 0.9


@pytest.mark.parametrize("dispatch", [False, True])
def test_fitting_a_dask_array_without_a_client_says_how_to_start_one(dispatch):
    """A dask fit runs on a Dask cluster: without a client it says so, and how to go on."""
    da = pytest.importorskip("dask.array")
    distributed = pytest.importorskip("distributed")
    with pytest.raises(ValueError):
        distributed.get_client()  # the premise: no client in this process
    clf = MLPBackpropClassifier(**{**PARAMS, "solver": "lbfgs"})
    with config_context(array_api_dispatch=dispatch):
        with pytest.raises(ValueError, match=r"no distributed\.Client is running.*X\.compute\(\)"):
            clf.fit(da.from_array(X, chunks=40), TARGETS["binary"])
    assert not hasattr(clf, "coefs_")


def test_predicting_a_dask_array_is_lazy_and_needs_no_client():
    da = pytest.importorskip("dask.array")
    clf = MLPBackpropClassifier(**PARAMS).fit(X, TARGETS["binary"])
    lazy = clf.predict_proba(da.from_array(X, chunks=40))
    assert type(lazy).__module__.startswith("dask")
    np.testing.assert_allclose(lazy.compute(), clf.predict_proba(X), rtol=1e-12)


def test_a_lazy_dask_target_is_refused_naming_y():
    da = pytest.importorskip("dask.array")
    with config_context(array_api_dispatch=True):
        with pytest.raises(TypeError, match=r"y is a lazy array"):
            MLPBackpropClassifier(**PARAMS).fit(to_namespace("array_api_strict", X),
                                                da.from_array(TARGETS["binary"], chunks=40))
