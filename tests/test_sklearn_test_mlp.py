"""scikit-learn's own MLP test module, re-pointed at MLPBackpropClassifier.

The module ships with scikit-learn (``sklearn/neural_network/tests/test_mlp.py``).
It is read from the installed package at test time, its import of
``MLPClassifier`` is replaced by ours, and every test that exercises the
classifier through its public API runs here. The tests left out, and why,
are listed in ``DROPPED``; a parametrized test keeps only its classifier
cases.
"""

import importlib.util
import types
from pathlib import Path

import pytest
from sklearn_version import needs_sklearn

import skxor

IMPORT_LINE = "from sklearn.neural_network import MLPClassifier, MLPRegressor\n"

REGRESSOR_ONLY = "fits only MLPRegressor"
DROPPED = {
    "test_gradient": "calls the private MLPClassifier._loss_grad_lbfgs",
    "test_lbfgs_regression": REGRESSOR_ONLY,
    "test_lbfgs_regression_maxfun": REGRESSOR_ONLY,
    "test_multioutput_regression": REGRESSOR_ONLY,
    "test_partial_fit_regression": REGRESSOR_ONLY,
    "test_nonfinite_params": REGRESSOR_ONLY,
    "test_shuffle": REGRESSOR_ONLY,
    "test_mlp_regressor_dtypes_casting": REGRESSOR_ONLY,
    "test_mlp_loading_from_joblib_partial_fit": REGRESSOR_ONLY,
    "test_mlp_diverging_loss": REGRESSOR_ONLY,
    "test_mlp_sample_weight_with_early_stopping": REGRESSOR_ONLY,
    "test_mlp_vs_poisson_glm_equivalent": REGRESSOR_ONLY,
    "test_minimum_input_sample_size": REGRESSOR_ONLY,
}

ESTIMATOR_ARGUMENTS = ("MLPEstimator", "Estimator")


def _upstream_module():
    """scikit-learn's test module, executed with MLPClassifier bound to ours."""
    spec = importlib.util.find_spec("sklearn.neural_network.tests.test_mlp")
    path = Path(spec.origin)
    source = path.read_text()
    if IMPORT_LINE not in source:
        raise RuntimeError(f"{path} no longer imports the MLPs as {IMPORT_LINE!r}; "
                           "update IMPORT_LINE.")
    source = source.replace(
        IMPORT_LINE,
        "from sklearn.neural_network import MLPRegressor\n"
        "from skxor import MLPBackpropClassifier as MLPClassifier\n")
    module = types.ModuleType("sklearn_test_mlp_on_skxor")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module


def _classifier_cases_only(test):
    """``test`` with its estimator parametrization cut to MLPBackpropClassifier."""
    marks = []
    for mark in getattr(test, "pytestmark", []):
        if mark.name == "parametrize" and mark.args[0] in ESTIMATOR_ARGUMENTS:
            mark = pytest.mark.parametrize(mark.args[0],
                                           [skxor.MLPBackpropClassifier]).mark
        marks.append(mark)
    copy = types.FunctionType(test.__code__, test.__globals__, test.__name__,
                              test.__defaults__, test.__closure__)
    copy.pytestmark = marks
    return copy


_UPSTREAM = _upstream_module()
UPSTREAM_TESTS = sorted(name for name in vars(_UPSTREAM) if name.startswith("test_"))

for _name in UPSTREAM_TESTS:
    if _name not in DROPPED:
        globals()[_name] = _classifier_cases_only(getattr(_UPSTREAM, _name))


@needs_sklearn((1, 9), "DROPPED lists the module of 1.9; older ones lack tests added since")
def test_every_dropped_test_exists_upstream():
    """A test renamed or removed upstream must not hide behind an old name here."""
    assert set(DROPPED) <= set(UPSTREAM_TESTS)
