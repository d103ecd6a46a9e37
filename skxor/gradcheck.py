"""``check_gradients``: backpropagation against central finite differences.

Seed 001 checks every analytic derivative of its 2-2-1 network by nudging one
number and watching the loss move. This module does the same for any
``MLPBackpropClassifier``: it builds exactly the loss that ``fit`` minimises
(L2 term and sample weights included), computes its gradient by
backpropagation, and compares each checked parameter with
``(loss(w + eps) - loss(w - eps)) / (2 eps)``.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from .data.placement import is_dask_collection


@dataclass(frozen=True)
class LayerGradientError:
    """Largest errors found in one block of parameters."""

    layer: int
    kind: str
    n_checked: int
    max_abs_error: float
    max_rel_error: float


@dataclass(frozen=True)
class GradientCheckResult:
    """Per-layer comparison of backprop and finite-difference gradients.

    Attributes
    ----------
    rows : list of LayerGradientError
        One row per layer and kind (``"weights"``, ``"biases"``).
    tolerance : float
        Largest relative error that counts as agreement.
    n_params : int
        Parameters in the network.
    n_checked : int
        Parameters compared (all of them unless ``max_params`` sampled).

    See Also
    --------
    check_gradients : Makes it.
    """

    rows: list
    tolerance: float
    n_params: int
    n_checked: int

    @property
    def max_rel_error(self):
        """Largest relative error over every checked parameter."""
        return max(row.max_rel_error for row in self.rows if row.n_checked)

    @property
    def max_abs_error(self):
        """Largest absolute error over every checked parameter."""
        return max(row.max_abs_error for row in self.rows if row.n_checked)

    @property
    def passed(self):
        """True when every checked parameter agrees within ``tolerance``."""
        return self.max_rel_error <= self.tolerance

    def __str__(self):
        lines = [f"{'layer':>5}  {'kind':<11}{'checked':>8}  {'max abs error':>13}  "
                 f"{'max rel error':>13}"]
        for row in self.rows:
            lines.append(f"{row.layer:>5}  {row.kind:<11}{row.n_checked:>8}  "
                         f"{row.max_abs_error:>13.3e}  {row.max_rel_error:>13.3e}")
        verdict = "PASSED" if self.passed else "FAILED"
        lines.append(f"{verdict}: {self.n_checked} of {self.n_params} parameters, "
                     f"worst relative error {self.max_rel_error:.3e} "
                     f"(tolerance {self.tolerance:.0e})")
        return "\n".join(lines)


def check_gradients(estimator, X, y, *, sample_weight=None, eps=1e-5, max_params=2000,
                    tolerance=1e-5, random_state=0):
    """Compare the backprop gradient of an estimator's loss with finite differences.

    Parameters
    ----------
    estimator : MLPBackpropClassifier
        Checked at its fitted ``coefs_`` / ``intercepts_`` when it has them,
        otherwise at the weights ``fit`` would start from. It is not modified.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
    sample_weight : array-like of shape (n_samples,), default=None
    eps : float, default=1e-5
        Step of the central difference, in float64. Its error is about
        ``eps**2`` (truncation) plus ``machine_eps * |loss| / eps`` (round-off),
        smallest near ``machine_eps ** (1/3)``, about 6e-6; at 1e-6 round-off
        alone makes the error on small gradients about 20 times larger.
    max_params : int or None, default=2000
        Check at most this many parameters, drawn at random without
        replacement; None checks all of them. Each costs two loss evaluations.
    tolerance : float, default=1e-5
        Largest relative error reported as agreement.
    random_state : int, RandomState instance or None, default=0
        Draws the sample of parameters when ``max_params`` limits it.

    Returns
    -------
    result : GradientCheckResult
        Prints as a table of the largest absolute and relative error per
        layer, weights and biases apart.

    Notes
    -----
    The relative error of a parameter is ``|a - n| / max(|a| + |n|, 1e-6)``
    for backprop gradient ``a`` and finite difference ``n``. Components below
    1e-6 (such as the exactly zero gradients of dead ReLU units) are so judged
    on their absolute error, because round-off, about
    ``machine_eps * |loss| / eps``, keeps finite differences from resolving
    them better. The check runs in float64 whatever the estimator's ``dtype``
    or its weights' dtype. It checks the objective: ``weight_decay``,
    ``max_grad_norm`` and ``lr_schedule`` shape the steps an optimiser
    takes, not the loss, and change nothing here.

    See Also
    --------
    GradientCheckResult : The table this returns, with its verdict.

    Examples
    --------
    >>> from skxor import MLPBackpropClassifier, check_gradients
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), alpha=0.1, random_state=0)
    >>> check_gradients(clf, X, [0, 1, 1, 0]).passed
    True
    """
    network, params, data, alpha = _problem_at_current_weights(estimator, X, y, sample_weight)
    analytic = np.empty_like(params)
    data.loss_gradient(network, params, alpha, analytic, report=False)
    checked = _choose_parameters(params.size, max_params, random_state)
    numeric = np.full_like(params, np.nan)
    scratch = np.empty_like(params)
    for index in checked:
        original = params[index]
        params[index] = original + eps
        plus = data.loss_gradient(network, params, alpha, scratch, report=False)
        params[index] = original - eps
        minus = data.loss_gradient(network, params, alpha, scratch, report=False)
        params[index] = original
        numeric[index] = (plus - minus) / (2 * eps)
    rows = _layer_rows(network, analytic, numeric, checked)
    return GradientCheckResult(rows, tolerance, params.size, checked.size)


def _problem_at_current_weights(estimator, X, y, sample_weight):
    """The estimator's training problem in float64, at its current weights."""
    if is_dask_collection(X):
        raise TypeError("check_gradients checks the network on data in memory, and X is a "
                        "dask collection: pass X.compute(), or a sample of its rows.")
    return estimator._gradient_check_problem(X, y, sample_weight)


def _choose_parameters(n_params, max_params, random_state):
    if max_params is None or max_params >= n_params:
        return np.arange(n_params)
    rng = check_random_state(random_state)
    return np.sort(rng.choice(n_params, size=max_params, replace=False))


def _layer_rows(network, analytic, numeric, checked):
    """Largest errors per layer with parameters and kind, from the flat vectors.

    The layers with parameters are numbered from 0 (a perceptron's are its
    Dense layers); each of their arrays is a row, named by the layer.
    """
    is_checked = np.zeros(analytic.size, dtype=bool)
    is_checked[checked] = True
    positions_of = network.unpack(np.arange(analytic.size))
    owning = [(layer, positions) for layer, positions in zip(network.layers, positions_of,
                                                              strict=True) if positions]
    rows = []
    for number, (layer, arrays) in enumerate(owning):
        for kind, positions in zip(layer.parameter_names, arrays, strict=True):
            positions = positions.ravel()
            positions = positions[is_checked[positions]]
            rows.append(_block_errors(number, kind, analytic[positions], numeric[positions]))
    return rows


def _block_errors(layer, kind, analytic, numeric):
    if analytic.size == 0:
        return LayerGradientError(layer, kind, 0, 0.0, 0.0)
    absolute = np.abs(analytic - numeric)
    relative = absolute / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-6)
    return LayerGradientError(layer, kind, analytic.size, float(absolute.max()),
                              float(relative.max()))
