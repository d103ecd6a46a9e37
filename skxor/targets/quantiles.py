"""Quantile regression's parts outside the core: levels, targets, score, and order.

``MLPBackpropRegressor(loss="quantile", quantile=q)`` trains the network on
the pinball loss (``_losses.Pinball``). Several levels, ``quantile=[0.05,
0.5, 0.95]`` on a 1-D y, give the network one output per level, each
trained on its own level's loss against the same y (y is repeated, one
column per level, so that the rest of the training, dask chunks and
validation sets included, sees an ordinary multi-output problem).

Quantiles that cross (a 5 % estimate above the 95 % one at some x) are
removed at prediction time by sorting each row of the outputs, the
"rearrangement" of Chernozhukov, Fernández-Val and Galichon (2010): sorted
estimates are never further from the true, ordered quantile curve than the
unsorted ones, in any L^p norm, so the sort costs no accuracy. A monotone
output layer (a base output plus positive increments) would rule crossing
out during training instead, but it couples the levels' gradients and gives
the output layer a form of its own that the ONNX graph, ``check_gradients``
and the array-API path would each have to learn; the sort keeps each
level's output an ordinary unit.

The default score is D² of the pinball loss (``1 - loss / loss of the best
constant quantile``), averaged over levels: R² measures the conditional
mean, and would rate a well-calibrated 5 % quantile poorly, so a grid
search on it would pick the wrong model. On a fixed set D² orders models as
the mean pinball loss does, and keeps R²'s scale: 1 is perfect, 0 is no
better than a constant.
"""

import numpy as np
from sklearn.metrics import d2_pinball_score

from ..network.primitives import primitives, to_numpy


def quantile_levels(quantile):
    """The ``quantile`` parameter as a tuple of floats, one per level."""
    return tuple(float(level) for level in np.ravel(quantile))


def one_column_per_level(target, levels, name):
    """``target`` (n_samples, n_outputs) repeated once per level when there are several."""
    if len(levels) == 1:
        return target
    if target.shape[1] != 1:
        raise ValueError(
            f"quantile={list(levels)} fits {len(levels)} quantiles of one target, but {name} "
            f"has {target.shape[1]} columns. Pass a 1-D {name}, or a single quantile level "
            "to fit that level of every column.")
    return np.repeat(target, len(levels), axis=1)


def in_level_order(output, levels):
    """Each row of ``output`` sorted, so that the quantiles of higher levels are never lower."""
    if levels is None or len(levels) == 1:
        return output
    return primitives(output).xp.sort(output, axis=1)


def pinball_score(target, output, levels, sample_weight=None):
    """D² pinball score of ``output`` against ``target``, averaged over the outputs.

    Parameters
    ----------
    target : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        A column is compared with every output when there are several levels.
    output : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Network outputs, sorted here when there are several levels.
    levels : sequence of float
        One level for every output, or one per output.
    sample_weight : ndarray of shape (n_samples,), default=None

    Returns
    -------
    score : float
        NaN when an output is not finite, as for R².
    """
    output = to_numpy(output)
    output = output.reshape(output.shape[0], -1)
    if not np.isfinite(output).all():
        return np.nan
    output = in_level_order(output, levels)
    target = to_numpy(target).reshape(output.shape[0], -1)
    target = np.broadcast_to(target, output.shape)
    per_level = levels * output.shape[1] if len(levels) == 1 else levels
    return float(np.mean([
        d2_pinball_score(target[:, column], output[:, column], alpha=level,
                         sample_weight=to_numpy(sample_weight))
        for column, level in enumerate(per_level)]))
