"""Where skxor's warnings come from, and the filters that real scripts use on them.

scikit-learn's MLPs warn from their own module, and scripts (scikit-learn's
``plot_mlp_training_curves`` among them) silence them with a filter on
``module="sklearn"``. Every skxor warning comes from ``skxor/_warnings.py``,
so ``module="skxor"`` filters work, and the filters aimed at scikit-learn's
MLP work too.
"""

import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import skxor
from skxor import MLPBackpropClassifier, MLPBackpropRegressor

X = np.random.RandomState(0).normal(size=(40, 3))
Y = (X[:, 0] > 0).astype(int)
WARNS_FROM = Path(skxor.__file__).parent / "utils" / "_warnings.py"
ESTIMATORS = [MLPBackpropClassifier, MLPBackpropRegressor]


def unconverged_fit(estimator_class, solver="adam"):
    return estimator_class(hidden_layer_sizes=(3,), solver=solver, max_iter=1,
                           random_state=0).fit(X, Y)


def caught(fit, *filters):
    """The warnings ``fit()`` emits under ``filters`` (``filterwarnings`` arguments)."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for arguments in filters:
            warnings.filterwarnings(**arguments)
        fit()
    return [w for w in record if not issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("estimator_class", ESTIMATORS)
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_convergence_warning_comes_from_skxors_warnings_module(estimator_class, solver):
    (warning,) = caught(lambda: unconverged_fit(estimator_class, solver))
    assert warning.category is ConvergenceWarning
    assert Path(warning.filename) == WARNS_FROM


def test_batch_size_warning_comes_from_skxors_warnings_module():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), batch_size=1000, max_iter=50,
                                tol=1.0, random_state=0)
    (warning,) = caught(lambda: clf.fit(X, Y))
    assert "batch_size" in str(warning.message)
    assert Path(warning.filename) == WARNS_FROM


def test_interrupted_warning_comes_from_skxors_warnings_module(fail_at_batch):
    fail_at_batch(3)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), max_iter=50, random_state=0)
    (warning,) = caught(lambda: clf.fit(X, Y))
    assert str(warning.message) == "Training interrupted by user."
    assert Path(warning.filename) == WARNS_FROM


def test_divergence_warning_comes_from_skxors_warnings_module():
    from sklearn.datasets import load_iris

    X_iris, y_iris = load_iris(return_X_y=True)
    regressor = MLPBackpropRegressor(hidden_layer_sizes=100, activation="identity",
                                     solver="sgd", learning_rate_init=1, early_stopping=True,
                                     random_state=0)
    (warning,) = caught(lambda: regressor.fit(X_iris, y_iris))
    assert "diverged" in str(warning.message)
    assert Path(warning.filename) == WARNS_FROM


@pytest.mark.parametrize("estimator_class", ESTIMATORS)
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
@pytest.mark.parametrize("module", ["sklearn", "skxor", r"sklearn\.neural_network"])
def test_a_module_filter_for_the_mlp_silences_it(estimator_class, solver, module):
    ignore = {"action": "ignore", "category": ConvergenceWarning, "module": module}
    assert caught(lambda: unconverged_fit(estimator_class, solver), ignore) == []


def test_the_module_filter_silences_scikit_learns_mlp_alike():
    """The reference: the same filter on MLPClassifier itself."""
    ignore = {"action": "ignore", "category": ConvergenceWarning, "module": "sklearn"}
    assert caught(lambda: unconverged_fit(MLPClassifier), ignore) == []
    assert len(caught(lambda: unconverged_fit(MLPClassifier))) == 1


def test_an_error_filter_for_scikit_learn_raises_the_warning():
    error = {"action": "error", "category": ConvergenceWarning, "module": "sklearn"}
    with pytest.raises(ConvergenceWarning, match="Maximum iterations"):
        caught(lambda: unconverged_fit(MLPBackpropClassifier), error)


@pytest.mark.parametrize("filters", [
    [{"action": "ignore", "category": ConvergenceWarning, "module": "numpy"}],
    [{"action": "ignore", "category": DeprecationWarning, "module": "sklearn"}],
    [{"action": "ignore", "message": "lbfgs", "module": "sklearn"}],
], ids=["another module", "another category", "another message"])
def test_a_filter_that_does_not_match_leaves_the_warning(filters):
    assert len(caught(lambda: unconverged_fit(MLPBackpropClassifier), *filters)) == 1


def test_a_later_filter_for_skxor_wins_over_an_earlier_one_for_scikit_learn():
    """``filterwarnings`` puts the newest filter first, and the first match decides."""
    ignore_sklearn = {"action": "ignore", "category": ConvergenceWarning, "module": "sklearn"}
    show_skxor = {"action": "always", "category": ConvergenceWarning, "module": "skxor"}
    assert len(caught(lambda: unconverged_fit(MLPBackpropClassifier), ignore_sklearn,
                      show_skxor)) == 1
