"""scikit-learn's own MLP test module, re-pointed at both skxor estimators.

The module ships with scikit-learn (``sklearn/neural_network/tests/test_mlp.py``).
It is read from the installed package at test time, its import of
``MLPClassifier`` and ``MLPRegressor`` is replaced by ours, and every test that
exercises the estimators through their public API runs here: the whole
module but the tests in ``DROPPED``, each with its reason.
"""

import importlib.util
import types
from pathlib import Path

import pytest
from sklearn_version import needs_sklearn

IMPORT_LINE = "from sklearn.neural_network import MLPClassifier, MLPRegressor\n"

DROPPED = {
    "test_gradient": "calls the private MLPClassifier._loss_grad_lbfgs",
}


@pytest.fixture
def global_random_seed():
    """scikit-learn's fixture of that name, at its default seed."""
    return 42

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
        "from skxor import MLPBackpropClassifier as MLPClassifier\n"
        "from skxor import MLPBackpropRegressor as MLPRegressor\n")
    module = types.ModuleType("sklearn_test_mlp_on_skxor")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module


def _copy(test):
    """A copy of ``test`` that pytest collects here."""
    copy = types.FunctionType(test.__code__, test.__globals__, test.__name__,
                              test.__defaults__, test.__closure__)
    copy.pytestmark = list(getattr(test, "pytestmark", []))
    return copy


_UPSTREAM = _upstream_module()
UPSTREAM_TESTS = sorted(name for name in vars(_UPSTREAM) if name.startswith("test_"))

for _name in UPSTREAM_TESTS:
    if _name not in DROPPED:
        globals()[_name] = _copy(getattr(_UPSTREAM, _name))


@needs_sklearn((1, 9), "DROPPED lists the module of 1.9; older ones lack tests added since")
def test_every_dropped_test_exists_upstream():
    """A test renamed or removed upstream must not hide behind an old name here."""
    assert set(DROPPED) <= set(UPSTREAM_TESTS)
