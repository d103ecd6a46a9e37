"""activation="mish": its formula, its gradient, and a network learning with it."""

import numpy as np
import pytest
from sklearn.datasets import make_moons

from skxor import MLPBackpropClassifier, check_gradients
from skxor.network.activations import ACTIVATIONS


def test_mish_is_z_times_the_tanh_of_softplus():
    z = np.linspace(-20, 20, 81)[np.newaxis]
    expected = z * np.tanh(np.log1p(np.exp(z)))
    np.testing.assert_allclose(ACTIVATIONS["mish"].forward(z.copy()), expected, rtol=1e-13,
                               atol=1e-300)


def test_mish_dips_below_zero_and_is_the_identity_far_above():
    z = np.array([[-1.0, 30.0]])
    low, high = ACTIVATIONS["mish"].forward(z.copy())[0]
    assert -0.31 < low < -0.30 and high == 30.0  # its minimum is about -0.3088


def test_the_backward_rule_is_the_derivative():
    z = np.linspace(-6, 6, 25)[np.newaxis]
    step = 1e-6
    numeric = (ACTIVATIONS["mish"].forward(z + step) - ACTIVATIONS["mish"].forward(z - step)
               ) / (2 * step)
    analytic = ACTIVATIONS["mish"].backward(z.copy(), np.ones_like(z))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("loss", ["log_loss", "squared_error"])
def test_check_gradients_passes_through_mish_layers(loss):
    X, y = make_moons(n_samples=30, noise=0.2, random_state=0)
    clf = MLPBackpropClassifier((5, 4), activation="mish", loss=loss, alpha=0.1,
                                random_state=0)
    assert check_gradients(clf, X, y).passed


@pytest.mark.usefixtures("quiet_convergence")
def test_a_mish_network_learns_the_moons():
    X, y = make_moons(n_samples=400, noise=0.15, random_state=0)
    clf = MLPBackpropClassifier((32, 32), activation="mish", learning_rate_init=0.01,
                                max_iter=100, random_state=0).fit(X, y)
    assert clf.score(X, y) > 0.97
