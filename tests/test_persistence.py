"""Saved models come back bit-identical, or refuse to load with a clear message."""

import pickle
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, InconsistentVersionWarning

import skxor._base
from skxor import MLPBackpropClassifier

X = np.random.RandomState(0).normal(size=(60, 4))
Y = np.arange(60) % 3
SOLVERS = ["adam", "sgd", "lbfgs"]
SKXOR_TYPES = ["skxor._classifier.MLPBackpropClassifier",
               "skxor.training.update_rules.adam.Adam", "skxor.training.update_rules.sgd.SGD"]


def fitted(solver):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPBackpropClassifier(hidden_layer_sizes=(5,), max_iter=10, solver=solver,
                                     random_state=0).fit(X, Y)


def assert_same_model(restored, original):
    np.testing.assert_array_equal(restored.predict_proba(X), original.predict_proba(X))
    for a, b in zip(restored.coefs_ + restored.intercepts_,
                    original.coefs_ + original.intercepts_, strict=True):
        assert np.array_equal(a, b) and a.dtype == b.dtype


@pytest.mark.parametrize("solver", SOLVERS)
def test_pickle_round_trip_is_bit_identical(solver):
    model = fitted(solver)
    assert_same_model(pickle.loads(pickle.dumps(model)), model)


@pytest.mark.parametrize("solver", SOLVERS)
def test_joblib_round_trip_is_bit_identical(solver, tmp_path):
    model = fitted(solver)
    joblib.dump(model, tmp_path / "model.joblib")
    assert_same_model(joblib.load(tmp_path / "model.joblib"), model)


@pytest.mark.parametrize("solver", SOLVERS)
def test_skops_round_trip_needs_only_skxor_types_trusted(solver, tmp_path):
    sio = pytest.importorskip("skops.io")
    model = fitted(solver)
    sio.dump(model, tmp_path / "model.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "model.skops")
    assert set(untrusted) <= set(SKXOR_TYPES)
    assert_same_model(sio.load(tmp_path / "model.skops", trusted=SKXOR_TYPES), model)


def test_an_unpickled_model_keeps_training_like_the_original():
    original = MLPBackpropClassifier(hidden_layer_sizes=(5,), solver="sgd", random_state=0)
    original.partial_fit(X, Y, classes=[0, 1, 2])
    copy = pickle.loads(pickle.dumps(original))
    original.partial_fit(X, Y)
    copy.partial_fit(X, Y)
    assert_same_model(copy, original)


def test_a_model_saved_in_another_state_format_refuses_to_load(monkeypatch):
    saved = pickle.dumps(fitted("adam"))
    current = skxor._base.STATE_FORMAT
    monkeypatch.setattr(skxor._base, "STATE_FORMAT", current + 1)
    with pytest.raises(ValueError, match=f"saved with state format {current}.*reads "
                                         f"format {current + 1} only"):
        pickle.loads(saved)


def test_a_model_pickled_when_the_update_rules_lived_in_skxor_solvers_still_loads():
    """Before the estimator layer's redesign, pickles named skxor._solvers.Adam."""
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, Y)
    # protocol 0 writes module names as plain lines, so the old name can be put back
    old = pickle.dumps(clf, protocol=0).replace(b"skxor.training.update_rules.adam\n",
                                                b"skxor._solvers\n")
    assert b"skxor._solvers\nAdam" in old
    np.testing.assert_array_equal(pickle.loads(old).predict_proba(X), clf.predict_proba(X))


def with_toolkit():
    """An sgd model with every control of the training toolkit, one partial_fit in."""
    return MLPBackpropClassifier(
        hidden_layer_sizes=(5,), solver="sgd", max_iter=5, random_state=0,
        lr_schedule="cosine", warmup=1, weight_decay=0.01, max_grad_norm=1.0,
        dtype="float32").partial_fit(X, Y, classes=[0, 1, 2])


TOOLKIT_TYPES = ["skxor.training.update_rules.base.Controls",
                 "skxor.training.schedules.LearningRate"]


def test_skops_keeps_the_training_toolkits_state_with_its_types_trusted(tmp_path):
    sio = pytest.importorskip("skops.io")
    model = with_toolkit()
    sio.dump(model, tmp_path / "model.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "model.skops")
    assert set(untrusted) <= set(SKXOR_TYPES + TOOLKIT_TYPES)
    restored = sio.load(tmp_path / "model.skops", trusted=SKXOR_TYPES + TOOLKIT_TYPES)
    model.partial_fit(X, Y)
    restored.partial_fit(X, Y)
    assert_same_model(restored, model)
    assert restored.learning_rate_curve_ == model.learning_rate_curve_


def test_a_default_model_pickles_no_toolkit_state():
    assert b"Controls" not in pickle.dumps(fitted("adam"))


def test_a_model_saved_before_the_training_toolkit_keeps_training_and_cloning():
    from sklearn.base import clone

    model = fitted("sgd")
    state = model.__getstate__()
    for name in ("lr_schedule", "warmup", "weight_decay", "max_grad_norm", "dtype",
                 "_compute_dtype", "learning_rate_curve_"):
        del state[name]
    old = MLPBackpropClassifier.__new__(MLPBackpropClassifier)
    old.__setstate__(state)
    assert old.get_params()["lr_schedule"] is None and old.get_params()["dtype"] is None
    assert "MLPBackpropClassifier" in repr(clone(old))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        old.partial_fit(X, Y)
        model.partial_fit(X, Y)
    assert_same_model(old, model)


SAVED = Path(__file__).parent / "saved_models"
SAVED_X = np.load(SAVED / "X.npy")


def load_saved(name):
    with warnings.catch_warnings():  # a scikit-learn older or newer than the one that saved
        warnings.simplefilter("ignore", InconsistentVersionWarning)
        with open(SAVED / f"{name}.pkl", "rb") as file:
            return pickle.load(file)


def output_of(model):
    return model.predict_proba(SAVED_X) if hasattr(model, "predict_proba") else model.predict(
        SAVED_X)


@pytest.mark.parametrize("name", ["classifier_adam", "classifier_sgd_toolkit",
                                  "classifier_lbfgs_strings", "regressor_quantiles",
                                  "regressor_huber_sgd"])
def test_a_model_saved_by_skxor_0_1_0_predicts_as_it_did(name):
    # to the last bits with the NumPy that saved them; another NumPy's exp may round differently
    np.testing.assert_allclose(output_of(load_saved(name)), np.load(SAVED / f"{name}.npy"),
                               rtol=1e-12, atol=1e-15)


def test_a_model_saved_by_skxor_0_1_0_trains_on_from_where_it_stopped():
    model = load_saved("classifier_sgd_toolkit")
    model.partial_fit(SAVED_X, np.arange(60) % 3)
    np.testing.assert_allclose(output_of(model),
                               np.load(SAVED / "classifier_sgd_toolkit_continued.npy"),
                               rtol=1e-5, atol=1e-7)  # trained in float32


def test_a_skops_file_saved_by_skxor_0_1_0_loads_with_the_types_it_names(tmp_path):
    sio = pytest.importorskip("skops.io")
    path = SAVED / "classifier_sgd_toolkit.skops"
    untrusted = sio.get_untrusted_types(file=path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistentVersionWarning)
        model = sio.load(path, trusted=untrusted)
    np.testing.assert_allclose(output_of(model), np.load(SAVED / "classifier_sgd_toolkit.npy"),
                               rtol=1e-12, atol=1e-15)
