"""Shared test set-up."""

import os
import warnings

import pytest

# Before SciPy is imported: lets sklearn's array-API estimator check run
# instead of skipping.
os.environ.setdefault("SCIPY_ARRAY_API", "1")


@pytest.fixture
def quiet_convergence():
    """Silence ConvergenceWarning: these tests train short on purpose."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield
