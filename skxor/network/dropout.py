"""Inverted dropout on the hidden layers' outputs, drawn per training batch.

During training each hidden unit's output is kept with probability
``1 - rate`` and scaled by ``1 / (1 - rate)``, so its expected value is
unchanged and prediction uses the network as it is, without masks. The masks
come from a NumPy generator seeded once per fit from the fit's random state:
the same ``random_state`` draws the same masks, on any array namespace.
"""

from dataclasses import dataclass

import numpy as np

from .primitives import primitives


@dataclass
class DropoutBatch:
    """One batch's masks and the buffers for the hidden outputs they thin.

    ``masks[i]`` is None for a hidden layer without dropout, else an
    ``(n_rows, units)`` array of ``0`` and ``1 / (1 - rate)``; ``outputs[i]``
    receives the layer's output times its mask (the next layer's input).
    """

    masks: list
    outputs: list


class Dropout:
    """Draws inverted-dropout masks for the hidden layers of one fit.

    Parameters
    ----------
    rates : sequence of float
        Dropout rate of each hidden layer, each in [0, 1).
    hidden_sizes : sequence of int
        Units of each hidden layer.
    seed : int
        Seeds the generator of every mask of the fit.

    Notes
    -----
    Uniform draws go into a reused float64 buffer (``Generator.random`` with
    ``out=``), whatever the training dtype, so float32 and float64 fits drop
    the same units; the masks are then written into arrays of the training
    dtype, namespace and device. On a device that is one transfer per batch.
    """

    def __init__(self, rates, hidden_sizes, seed):
        self.rates = [float(rate) for rate in rates]
        self.hidden_sizes = list(hidden_sizes)
        self._generator = np.random.default_rng(seed)
        self._buffers = {}

    def batch(self, n_rows, like):
        """Masks for a batch of ``n_rows``, in the dtype, namespace and device of ``like``."""
        host, masks, outputs = self._buffers_for(n_rows, like)
        ops = primitives(like)
        for rate, uniform, keep, mask in zip(self.rates, *host, masks, strict=True):
            if mask is None:
                continue
            self._generator.random(out=uniform)
            np.greater_equal(uniform, rate, out=keep)
            ops.assign_scaled(mask, keep, 1 / (1 - rate))
        return DropoutBatch(masks, outputs)

    def _buffers_for(self, n_rows, like):
        """The host draws, masks and outputs of a batch shape, made once."""
        key = (n_rows, like.dtype)
        if key not in self._buffers:
            ops = primitives(like)
            shapes = [(n_rows, units) if rate > 0 else None
                      for rate, units in zip(self.rates, self.hidden_sizes, strict=True)]
            host = ([None if shape is None else np.empty(shape) for shape in shapes],
                    [None if shape is None else np.empty(shape, dtype=bool) for shape in shapes])
            device = [[None if shape is None else ops.empty(shape, like) for shape in shapes]
                      for _ in range(2)]
            self._buffers[key] = (host, *device)
        return self._buffers[key]
