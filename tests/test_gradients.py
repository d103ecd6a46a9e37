"""Backpropagation against central finite differences, for every combination."""

from types import SimpleNamespace

import numpy as np
import pytest

from skxor import MLPBackpropClassifier, MLPBackpropRegressor
from skxor.network.activations import hidden_activation_names
from skxor.network.dropout import Dropout
from skxor.network.initialization import initialize
from skxor.network.network import Network
from skxor.targets.losses import CLASSIFICATION_LOSSES, REGRESSION_LOSSES

HIDDEN_ACTIVATIONS = hidden_activation_names()

N_SAMPLES, N_FEATURES = 7, 3


def make_targets(kind, rng):
    """Targets of ``kind`` and the output activation they are trained through."""
    if kind == "binary":
        return rng.randint(0, 2, size=(N_SAMPLES, 1)).astype(float), "logistic"
    if kind == "multiclass":
        return np.eye(3)[rng.randint(0, 3, size=N_SAMPLES)], "softmax"
    if kind == "multilabel":
        return rng.randint(0, 2, size=(N_SAMPLES, 4)).astype(float), "logistic"
    if kind == "counts":
        return rng.poisson(2.0, size=(N_SAMPLES, 2)).astype(float), "exp"
    return rng.normal(size=(N_SAMPLES, 1 if kind == "regression" else 3)), "identity"


LOSSES = {"classifier": CLASSIFICATION_LOSSES, "regressor": REGRESSION_LOSSES}
DEFAULTS = {"classifier": SimpleNamespace(**MLPBackpropClassifier().get_params()),
            "regressor": SimpleNamespace(**MLPBackpropRegressor().get_params())}
TARGET_KINDS = {"classifier": ["binary", "multiclass", "multilabel"],
                "regressor": ["regression", "multi-output regression", "counts"]}
LOSS_TARGETS = [((estimator, loss), kind) for estimator, registry in LOSSES.items()
                for loss in registry for kind in TARGET_KINDS[estimator]]
"""Every registered loss with every kind of target its estimator trains it on (counts through
an exponential output; a loss that fixes the output's exponential, Poisson's, on a normal
target's magnitude: the deviance wants non-negative targets)."""


def loss_of(estimator, name):
    """The core loss that estimator ``estimator``'s ``loss=name`` trains, at its defaults."""
    return LOSSES[estimator][name].make(DEFAULTS[estimator])


def finite_difference_gradient(network, params, X, target, sample_weight, alpha,
                               step=1e-4, dropout=None):
    """Fourth-order central differences, one parameter at a time.

    The plain two-point stencil errs by about step**2 (truncation) plus
    eps * |loss| / step (round-off), about 1e-10 at best: too coarse to judge
    the smallest gradient components (~1e-5) to 1e-6. The five-point stencil
    errs by step**4, so its error is round-off, ~1e-12 at step = 1e-4. The
    step stays that small so the stencil does not straddle a ReLU kink.
    """
    scratch = np.empty_like(params)

    def loss_at(index, offset):
        shifted = params.copy()
        shifted[index] += offset
        return network.loss_gradient(shifted, (X, target, sample_weight), alpha, scratch,
                                     report=False, dropout=dropout)

    numeric = np.empty_like(params)
    for index in range(params.size):
        numeric[index] = (-loss_at(index, 2 * step) + 8 * loss_at(index, step)
                          - 8 * loss_at(index, -step) + loss_at(index, -2 * step)
                          ) / (12 * step)
    return numeric


def relative_error(analytic, numeric):
    """Largest componentwise relative error.

    Components below 1e-5 (dead ReLU units have exactly zero gradient) are
    compared absolutely, to 1e-11: the stencil's round-off is about
    ``1.5 * eps * |loss| / step``, 3e-12 for a loss of 1 (the regression
    losses here reach a few), so a zero gradient can read a few 1e-12.
    """
    scale = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-5)
    return np.max(np.abs(analytic - numeric) / scale)


def backprop_error(hidden_sizes, activation, loss, target_kind, weighted, seed,
                   dropout_rate=0.0):
    """Worst relative error of backprop against finite differences, alpha=0.3.

    With ``dropout_rate``, both see the same fixed dropout masks.
    """
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(N_SAMPLES, N_FEATURES))
    target, output_activation = make_targets(target_kind, rng)
    fixed = LOSSES[loss[0]][loss[1]].output_activation if loss[0] == "regressor" else None
    if fixed == "exp":
        target = np.abs(target)
    sample_weight = rng.uniform(0.5, 2.0, N_SAMPLES) if weighted else None
    network = Network.perceptron((N_FEATURES, *hidden_sizes, target.shape[1]), activation,
                                 fixed or output_activation, loss_of(*loss))
    params = initialize(network, "glorot", activation, rng, np.float64)
    masks = None
    if dropout_rate:
        masks = Dropout([dropout_rate] * len(hidden_sizes), hidden_sizes, seed).batch(
            N_SAMPLES, params)
    grad = np.empty_like(params)
    network.loss_gradient(params, (X, target, sample_weight), 0.3, grad, dropout=masks)
    numeric = finite_difference_gradient(network, params, X, target, sample_weight, 0.3,
                                         dropout=masks)
    return relative_error(grad, numeric)


@pytest.mark.parametrize(("loss", "target_kind"), LOSS_TARGETS)
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("weighted", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_backprop_gradient_matches_finite_differences(activation, loss, target_kind,
                                                      weighted):
    assert backprop_error((5, 4), activation, loss, target_kind, weighted, seed=0) < 1e-6


@pytest.mark.parametrize(("loss", "target_kind"),
                         [(loss, kind) for loss, kind in LOSS_TARGETS
                          if kind in ("multiclass", "multi-output regression", "counts")])
def test_backprop_through_a_different_activation_per_layer(loss, target_kind):
    activations = ["gelu", "elu", "softplus", "leaky_relu"]
    assert backprop_error((5, 4, 4, 3), activations, loss, target_kind, False,
                          seed=1) < 1e-6


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_backprop_through_a_fixed_dropout_mask_matches_finite_differences(activation):
    assert backprop_error((5, 4), activation, ("classifier", "log_loss"), "multiclass", True,
                          seed=2, dropout_rate=0.4) < 1e-6
