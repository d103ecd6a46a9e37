"""Weight initialisation schemes, keyed by public name.

Each scheme draws one layer's ``(coef, intercept)`` from ``rng`` given the
layer's fan-in and fan-out. Layers are drawn in order, weights before biases,
which for ``"glorot"`` reproduces scikit-learn's ``MLPClassifier`` draws: the
same ``random_state`` gives the same starting weights.
"""

import numpy as np

from .activations import hidden_activations
from .layers import Dense


def glorot(rng, fan_in, fan_out, hidden_activation):
    """Glorot-Bengio uniform: ``U[-b, b]`` with ``b = sqrt(f / (fan_in + fan_out))``.

    ``f`` is 2 for logistic hidden units and 6 otherwise; biases use the same
    bound.
    """
    factor = 2.0 if hidden_activation == "logistic" else 6.0
    bound = np.sqrt(factor / (fan_in + fan_out))
    coef = rng.uniform(-bound, bound, (fan_in, fan_out))
    intercept = rng.uniform(-bound, bound, fan_out)
    return coef, intercept


def he(rng, fan_in, fan_out, hidden_activation):
    """He normal: weights ``N(0, 2 / fan_in)``, biases zero (suits ReLU units)."""
    coef = rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out))
    return coef, np.zeros(fan_out)


def uniform(rng, fan_in, fan_out, hidden_activation):
    """Weights and biases ``U[-1, 1]``, as ``2 * random - 1`` in seeds 000 and 002."""
    coef = rng.uniform(-1.0, 1.0, (fan_in, fan_out))
    intercept = rng.uniform(-1.0, 1.0, fan_out)
    return coef, intercept


def normal(rng, fan_in, fan_out, hidden_activation):
    """Weights ``N(0, 0.1**2)`` and biases 0.1, as in seed 001."""
    coef = 0.1 * rng.standard_normal((fan_in, fan_out))
    return coef, np.full(fan_out, 0.1)


WEIGHT_INITS = {"glorot": glorot, "he": he, "uniform": uniform, "normal": normal}


def initialize(network, scheme, hidden_activation, rng, dtype):
    """Draw a fresh flat parameter vector for ``network``.

    Parameters
    ----------
    network : Network
        Gives the layers and the vector layout. Its Dense layers are drawn
        by ``scheme``, one after another; any other layer with parameters
        draws its own (``layer.initialize(rng, arrays)``), in layer order.
    scheme : str
        A key of ``WEIGHT_INITS``.
    hidden_activation : str or sequence of str
        Name of the hidden activation, or one per hidden layer (the Glorot
        bound depends on it). With one name, every layer, the output layer
        included, is drawn for it, as in MLPClassifier; with one per layer,
        the output layer is drawn for the activation feeding it.
    rng : numpy.random.RandomState
        Source of every random draw.
    dtype : numpy dtype
        dtype of the returned vector.

    Returns
    -------
    params : ndarray of shape (network.size,)
    """
    draw = WEIGHT_INITS[scheme]
    params = np.empty(network.size, dtype=dtype)
    n_hidden = len(network.dense_layers) - 1
    hidden = hidden_activations(hidden_activation, n_hidden)
    # without a hidden layer, a single name still sets the bound, as in MLPClassifier
    feeding_output = (hidden or hidden_activations(hidden_activation, 1) or ("identity",))[-1]
    dense_activations = iter([*hidden, feeding_output])
    for layer, arrays in zip(network.layers, network.unpack(params), strict=True):
        if isinstance(layer, Dense):
            coef, intercept = arrays
            coef[...], intercept[...] = draw(rng, *coef.shape, next(dense_activations))
        elif arrays:
            layer.initialize(rng, arrays)
    return params
