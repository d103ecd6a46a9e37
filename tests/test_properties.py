"""Property-based tests: any valid data and settings give a sound model or a clear error."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.network.activations import hidden_activation_names

# The errors a valid call may still end in, by message: divergence, and the
# early-stopping split's, which are MLPClassifier's (train_test_split's own).
DOCUMENTED_ERRORS = re.compile(
    r"diverged at epoch|The validation set is too small|"
    r"The least populated class(es)? in y ha(s|ve) only 1 member|the resulting train set will be "
    r"empty|should be greater or equal to the number of classes")


@st.composite
def datasets(draw):
    n_samples = draw(st.integers(1, 50))
    n_features = draw(st.integers(1, 10))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int64]))
    elements = (st.integers(-100, 100) if dtype == np.int64 else
                st.floats(-100, 100, allow_nan=False, width=32))
    X = draw(arrays(dtype, (n_samples, n_features), elements=elements))
    n_classes = draw(st.integers(1, 5))
    labels = np.arange(n_classes)
    if draw(st.booleans()):
        labels = np.array([f"class {label}" for label in labels])
    index = draw(arrays(np.int64, n_samples, elements=st.integers(0, n_classes - 1)))
    shown = min(n_samples, n_classes)
    index[:shown] = np.arange(shown)  # every class appears when there are rows for it
    return X, labels[index]


@st.composite
def estimators(draw):
    return MLPBackpropClassifier(
        hidden_layer_sizes=tuple(draw(st.lists(st.integers(1, 8), min_size=1,
                                               max_size=3))),
        activation=draw(st.sampled_from(hidden_activation_names())),
        loss=draw(st.sampled_from(["log_loss", "squared_error"])),
        solver=draw(st.sampled_from(["adam", "sgd", "lbfgs"])),
        alpha=draw(st.sampled_from([0.0, 1e-4, 1.0])),
        learning_rate_init=draw(st.sampled_from([1e-3, 0.1, 1.0])),
        early_stopping=draw(st.booleans()),
        max_iter=draw(st.integers(1, 15)),
        random_state=draw(st.integers(0, 2**31)),
    )


# Data of any scale: a fit that diverges overflows on the way, as MLPClassifier's does.
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                            "ignore:invalid value encountered:RuntimeWarning")
@settings(max_examples=400, deadline=None, derandomize=True)
@given(data=datasets(), clf=estimators())
def test_fit_gives_sound_predictions_or_a_documented_error(data, clf):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            clf.fit(X, y)
        except ValueError as error:
            assert DOCUMENTED_ERRORS.search(str(error)), str(error)
            event(f"refused: {DOCUMENTED_ERRORS.search(str(error)).group()}")
            return
    event(f"fitted {len(clf.classes_)} classes")
    assert set(clf.predict(X)) <= set(clf.classes_)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), len(clf.classes_))
    assert np.isfinite(proba).all() and (proba >= 0).all() and (proba <= 1).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
