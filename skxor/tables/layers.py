"""The tabular estimators' input layers: a scale per column, numeric and categorical embeddings.

Each follows the layer protocol of ``skxor.network.layers`` (its arrays,
``forward`` and ``backward`` side by side, a workspace per batch shape, its
initialisation) and computes with NumPy. They read the encoded matrix of
``encoding.TableEncoder``; ``TableInput`` routes its blocks of columns to
them and concatenates what they give:

- ``FeatureScale``: each column times a learned factor (1 at first), so the
  network can turn a column up or down before anything mixes them;
- ``PeriodicEmbedding``: each numeric column ``x`` as itself and ``m``
  numbers ``V cos(2 pi (w x + b)) + c`` learned from ``k`` periodic features,
  with frequencies ``w`` drawn from ``N(0, sigma**2)``: a smooth, learned
  expansion of each column that lets one unit respond to a narrow range of it;
- ``CategoricalEmbedding``: each code column's level as ``size`` learned
  numbers, row 0 of its table standing for a missing or unseen level.
"""

import math
from dataclasses import dataclass

import numpy as np

from ..network.layers import Workspace
from ..network.primitives import NUMPY

TWO_PI = 2 * math.pi


class FeatureScale:
    """Each input column times its own learned factor, which starts at 1.

    Parameters
    ----------
    width : int
        The number of columns.
    rate_factor : float, default=1.0
        How much faster than the weights the factors learn (``rate_factors``).
    """

    parameter_names = ("scales",)

    def __init__(self, width, rate_factor=1.0):
        self.width = self.units = int(width)
        self.parameter_shapes = (((self.width,), False),)
        self.rate_factors = (float(rate_factor),)

    def initialize(self, rng, params):
        """Every factor 1: the layer starts as the identity."""
        params[0][...] = 1.0

    def workspace(self, n_rows, like, *, training, wants_input_gradient, ones):
        """The output, and in training a buffer for the products of the backward."""
        return Workspace(NUMPY, np.empty((n_rows, self.width), like.dtype),
                         np.empty((n_rows, self.width), like.dtype) if training else None,
                         ones=ones)

    def forward(self, params, x, space, dropout):
        """``x * s``."""
        space.input = x
        return np.multiply(x, params[0], out=space.output)

    def backward(self, params, grads, delta, space, wants_input_gradient):
        """``ds`` is the column sum of ``x * delta``; the input's gradient ``delta * s``."""
        product = np.multiply(space.input, delta, out=space.input_gradient)
        space.ones.dot(product, out=grads[0])
        if not wants_input_gradient:
            return None
        return np.multiply(delta, params[0], out=space.input_gradient)

    def onnx(self, graph, params, x):
        """``x * s`` in ONNX."""
        return graph.node("Mul", [x, graph.constant(params[0], "scales")])


class PeriodicEmbedding:
    """Each numeric column ``x`` as ``[x, V cos(2 pi (w x + b)) + c]``, learned per column.

    Parameters
    ----------
    width : int
        The number of numeric columns ``d``.
    n_frequencies : int
        Periodic features per column, ``k``.
    size : int
        Numbers each column's periodic features are mapped to, ``m``.
    sigma : float
        Standard deviation of the frequencies' initial draw.
    rate_factor : float, default=1.0
        How much faster than the weights the frequencies, phases and map learn.

    Notes
    -----
    With ``z = w x + b`` (``k`` per column), ``h = cos(2 pi z)`` and
    ``e = V h + c``: ``dV = h * de``, ``dc = de``, ``dz = -2 pi sin(2 pi z) (V.T de)``,
    ``dw = x dz``, ``db = dz`` and ``dx = dx_raw + w . dz``, each summed over rows.
    """

    parameter_names = ("frequencies", "phases", "weights", "biases")

    def __init__(self, width, n_frequencies, size, sigma, rate_factor=1.0):
        self.width, self.n_frequencies, self.size = int(width), int(n_frequencies), int(size)
        self.sigma = float(sigma)
        self.units = self.width * (1 + self.size)
        d, k, m = self.width, self.n_frequencies, self.size
        self.parameter_shapes = (((d, k), False), ((d, k), False), ((d, k, m), True),
                                 ((d, m), False))
        self.rate_factors = (float(rate_factor),) * 4

    def initialize(self, rng, params):
        """Frequencies ``N(0, sigma**2)``, phases ``U[-1/2, 1/2)``, the map ``U`` of
        Glorot's bound for ``k`` inputs, its bias 0."""
        frequencies, phases, weights, biases = params
        frequencies[...] = rng.normal(0.0, self.sigma, frequencies.shape)
        phases[...] = rng.uniform(-0.5, 0.5, phases.shape)
        bound = math.sqrt(6.0 / (self.n_frequencies + self.size))
        weights[...] = rng.uniform(-bound, bound, weights.shape)
        biases[...] = 0.0

    def workspace(self, n_rows, like, *, training, wants_input_gradient, ones):
        """The output ``[x, e]``, the input's gradient when asked, and the state the
        backward reads."""
        dtype = like.dtype
        return Workspace(NUMPY, np.empty((n_rows, self.units), dtype),
                         np.empty((n_rows, self.width), dtype) if wants_input_gradient else None,
                         saved=_PeriodicState(), ones=ones)

    def forward(self, params, x, space, dropout):
        """``[x, e]`` into the workspace's output; ``z`` and ``h`` kept for the backward."""
        frequencies, phases, weights, biases = params
        d, m = self.width, self.size
        z = x[:, :, np.newaxis] * frequencies
        z += phases
        features = np.cos(TWO_PI * z)
        embedded = np.matmul(features.transpose(1, 0, 2), weights)  # (d, n, m)
        embedded = embedded.transpose(1, 0, 2)
        embedded += biases
        output = space.output
        output[:, :d] = x
        output[:, d:] = embedded.reshape(x.shape[0], d * m)
        space.input, space.saved.z, space.saved.features = x, z, features
        return output

    def backward(self, params, grads, delta, space, wants_input_gradient):
        """The gradients of the class notes, from the forward's ``z`` and ``h``."""
        frequencies, _, weights, _ = params
        grad_frequencies, grad_phases, grad_weights, grad_biases = grads
        d, m, n_rows = self.width, self.size, delta.shape[0]
        x, z, features = space.input, space.saved.z, space.saved.features
        upstream = np.ascontiguousarray(delta[:, d:]).reshape(n_rows, d, m)
        grad_weights[...] = np.matmul(features.transpose(1, 2, 0), upstream.transpose(1, 0, 2))
        grad_biases[...] = upstream.sum(axis=0)
        slope = np.matmul(upstream.transpose(1, 0, 2), weights.transpose(0, 2, 1))  # (d, n, k)
        slope = slope.transpose(1, 0, 2) * np.sin(TWO_PI * z)
        slope *= -TWO_PI  # dL/dz
        grad_frequencies[...] = np.einsum("ndk,nd->dk", slope, x)
        grad_phases[...] = slope.sum(axis=0)
        if not wants_input_gradient:
            return None
        gradient = space.input_gradient
        np.einsum("ndk,dk->nd", slope, frequencies, out=gradient)
        gradient += delta[:, :d]
        return gradient

    def onnx(self, graph, params, x):
        """``[x, e]``: the periodic features per column as a batch of products over columns."""
        frequencies, phases, weights, biases = params
        d, m = self.width, self.size
        z = graph.node("Add", [graph.node("Mul", [
            graph.node("Reshape", [x, graph.constant(np.array([-1, d, 1]), "shape")]),
            graph.constant(frequencies, "frequencies")]), graph.constant(phases, "phases")])
        features = graph.node("Cos", [graph.node("Mul", [z, graph.constant(TWO_PI)])])
        by_column = graph.node("MatMul", [graph.node("Transpose", [features], perm=[1, 0, 2]),
                                          graph.constant(weights, "weights")])  # (d, n, m)
        embedded = graph.node("Add", [graph.node("Transpose", [by_column], perm=[1, 0, 2]),
                                      graph.constant(biases, "biases")])
        flat = graph.node("Reshape", [embedded, graph.constant(np.array([-1, d * m]), "shape")])
        return graph.node("Concat", [x, flat], axis=1)


@dataclass
class _PeriodicState:
    """What ``PeriodicEmbedding``'s forward keeps for its backward."""

    z: np.ndarray | None = None
    features: np.ndarray | None = None


class CategoricalEmbedding:
    """Each code column's level as ``size`` learned numbers; row 0 for missing or unseen.

    Parameters
    ----------
    levels : sequence of int
        The number of levels of each code column (codes run from 0 to it).
    size : int
        Numbers per level.
    rate_factor : float, default=1.0
    """

    parameter_names = ("tables",)

    def __init__(self, levels, size, rate_factor=1.0):
        self.levels, self.size = tuple(int(count) for count in levels), int(size)
        self.offsets = np.cumsum((0, *(count + 1 for count in self.levels[:-1])))
        self.units = len(self.levels) * self.size
        self.parameter_shapes = (((sum(count + 1 for count in self.levels), self.size), False),)
        self.rate_factors = (float(rate_factor),)

    def initialize(self, rng, params):
        """Every level ``N(0, 1)``, a unit-variance input for the layer after; row 0 of
        each column (missing or unseen) zero, neutral as one-hot's all-zero row, since
        it may never train when fit saw no missing value."""
        tables = params[0]
        tables[...] = rng.standard_normal(tables.shape)
        tables[self.offsets] = 0.0

    def workspace(self, n_rows, like, *, training, wants_input_gradient, ones):
        """The output; codes have no gradient to hold."""
        return Workspace(NUMPY, np.empty((n_rows, self.units), like.dtype))

    def forward(self, params, x, space, dropout):
        """Each row's levels looked up in the tables."""
        rows = x.astype(np.intp) + self.offsets
        space.input = rows
        output = space.output
        np.take(params[0], rows, axis=0, out=output.reshape(rows.shape[0], -1, self.size))
        return output

    def backward(self, params, grads, delta, space, wants_input_gradient):
        """Each looked-up row of the tables gets its rows' gradient, summed."""
        grads[0][...] = 0.0
        np.add.at(grads[0], space.input, delta.reshape(delta.shape[0], -1, self.size))

    def onnx(self, graph, params, x):
        """Gather of each level's row of the tables."""
        rows = graph.node("Add", [graph.node("Cast", [x], to=7),  # int64
                                  graph.constant(self.offsets[np.newaxis], "offsets")])
        looked_up = graph.node("Gather", [graph.constant(params[0], "tables"), rows], axis=0)
        return graph.node("Reshape", [looked_up, graph.constant(
            np.array([-1, len(self.levels) * self.size]), "shape")])


class TableInput:
    """The encoded table's blocks of columns, each through its own layers, side by side.

    Parameters
    ----------
    blocks : sequence of (slice, sequence of layers)
        Which columns of the input each chain of layers reads (an empty chain
        passes them through). The outputs of the chains are concatenated, in
        order.

    It is a network's first layer: it passes no gradient to its input.
    """

    def __init__(self, blocks):
        self.blocks = [(columns, tuple(chain)) for columns, chain in blocks]
        self.layers = [layer for _, chain in self.blocks for layer in chain]
        self.parameter_shapes = tuple(shape for layer in self.layers
                                      for shape in layer.parameter_shapes)
        self.parameter_names = tuple(name for layer in self.layers
                                     for name in layer.parameter_names)
        self.rate_factors = tuple(factor for layer in self.layers
                                  for factor in getattr(layer, "rate_factors",
                                                        (1.0,) * len(layer.parameter_shapes)))
        self.widths = [chain[-1].units if chain else columns.stop - columns.start
                       for columns, chain in self.blocks]
        self.units = sum(self.widths)
        counts = [len(layer.parameter_shapes) for layer in self.layers]
        self._splits = np.cumsum([0, *counts])

    def _per_layer(self, arrays):
        """``arrays`` (one per parameter array) split into each layer's."""
        return [arrays[start:stop] for start, stop in zip(self._splits[:-1], self._splits[1:],
                                                          strict=True)]

    def initialize(self, rng, params):
        """Each layer's own initialisation, in order."""
        for layer, arrays in zip(self.layers, self._per_layer(params), strict=True):
            if arrays:
                layer.initialize(rng, arrays)

    def workspace(self, n_rows, like, *, training, wants_input_gradient, ones):
        """The concatenated output, and each layer's own workspace; a layer after the
        first of its chain passes its input's gradient back in training."""
        spaces = []
        for _, chain in self.blocks:
            spaces.extend(layer.workspace(n_rows, like, training=training,
                                          wants_input_gradient=training and position > 0,
                                          ones=ones)
                          for position, layer in enumerate(chain))
        return Workspace(NUMPY, np.empty((n_rows, self.units), like.dtype), saved=spaces)

    def forward(self, params, x, space, dropout):
        """Each block's columns through its chain, written side by side."""
        per_layer, spaces = iter(self._per_layer(params)), iter(space.saved)
        output, start = space.output, 0
        for columns, chain in self.blocks:
            values = x[:, columns]
            for layer in chain:
                values = layer.forward(next(per_layer), values, next(spaces), dropout)
            output[:, start:start + values.shape[1]] = values
            start += values.shape[1]
        return output

    def backward(self, params, grads, delta, space, wants_input_gradient):
        """Each block's share of ``delta`` back through its chain; nothing to the input."""
        per_layer, per_grads = self._per_layer(params), self._per_layer(grads)
        index, start = 0, 0
        for (_, chain), width in zip(self.blocks, self.widths, strict=True):
            upstream = delta[:, start:start + width]
            for position in range(len(chain) - 1, -1, -1):
                layer_index = index + position
                upstream = chain[position].backward(per_layer[layer_index],
                                                    per_grads[layer_index], upstream,
                                                    space.saved[layer_index], position > 0)
            index += len(chain)
            start += width

    def onnx(self, graph, params, x):
        """Each block's columns sliced out, through its chain, then concatenated."""
        per_layer, outputs = iter(self._per_layer(params)), []
        for columns, chain in self.blocks:
            values = graph.node("Slice", [x, graph.constant(np.array([columns.start]), "start"),
                                          graph.constant(np.array([columns.stop]), "stop"),
                                          graph.constant(np.array([1]), "axis")])
            for layer in chain:
                values = layer.onnx(graph, next(per_layer), values)
            outputs.append(values)
        return graph.node("Concat", outputs, axis=1)
