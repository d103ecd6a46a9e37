"""The installed scikit-learn's version, for tests of what a newer one brought."""

import pytest
import sklearn

SKLEARN_VERSION = tuple(int(part) for part in sklearn.__version__.split(".")[:2])


def needs_sklearn(version, reason):
    """Skip a test where scikit-learn is older than ``version`` (a tuple), saying why."""
    return pytest.mark.skipif(SKLEARN_VERSION < version,
                              reason=f"needs scikit-learn >= {'.'.join(map(str, version))}: "
                                     f"{reason}")
