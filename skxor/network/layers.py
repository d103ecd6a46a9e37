"""The layers a network is a sequence of, each with its forward and backward rule side by side.

A layer declares the parameter arrays it owns (``parameter_shapes``: each a
shape, and whether the L2 penalty and weight decay apply to it); the network
lays every layer's arrays out in one flat vector and hands each layer views
of its own (``params``, and ``grads`` of the same shapes). Per batch shape,
each layer gets a workspace it made once (``workspace(n_rows, like, *,
training, wants_input_gradient, ones)``): the arrays it writes its output and
its input's gradient into, and what its forward keeps for its backward.

- ``forward(params, x, space, dropout)`` returns the layer's output for the
  rows ``x`` (it may overwrite ``x`` in place, as the activations do);
- ``backward(params, grads, delta, space, wants_input_gradient)`` takes the
  gradient of the loss with respect to the layer's output, writes the
  gradients of its parameters into ``grads`` and returns the gradient with
  respect to its input (or None when not wanted: the first layer's);
- ``onnx(graph, params, x)`` writes the layer in ONNX operators.
"""

from .activations import ACTIVATIONS
from .primitives import primitives


class Workspace:
    """A layer's arrays for one batch shape, and what its forward keeps for its backward.

    ``ops`` are the primitives of the arrays' namespace; ``output`` receives
    the layer's output, ``input_gradient`` its input's gradient, ``saved``
    what the backward rule reads (an activation's input or output, a dropout
    mask); ``ones`` is a vector of ones per row (bias gradients as one product).
    """

    __slots__ = ("ops", "output", "input_gradient", "saved", "ones", "input")

    def __init__(self, ops, output=None, input_gradient=None, saved=None, ones=None):
        self.ops, self.output, self.input_gradient = ops, output, input_gradient
        self.saved, self.ones, self.input = saved, ones, None


class Dense:
    """A fully connected layer: ``x @ W + b``.

    Parameters
    ----------
    fan_in, fan_out : int
        Its input and output widths.
    bias_rate_factor : float, default=1.0
        How much faster than the weights the biases learn.
    """

    parameter_names = ("weights", "biases")

    def __init__(self, fan_in, fan_out, bias_rate_factor=1.0):
        self.fan_in, self.fan_out = int(fan_in), int(fan_out)
        self.parameter_shapes = (((self.fan_in, self.fan_out), True), ((self.fan_out,), False))
        self.rate_factors = (1.0, float(bias_rate_factor))

    @property
    def units(self):
        """The width of the layer's output."""
        return self.fan_out

    def workspace(self, n_rows, like, *, training, wants_input_gradient, ones):
        """The output, and where wanted the input's gradient, of a batch of ``n_rows``."""
        ops = primitives(like)
        input_gradient = (ops.empty((n_rows, self.fan_in), like) if wants_input_gradient
                          else None)
        return Workspace(ops, ops.empty((n_rows, self.fan_out), like), input_gradient,
                         ones=ones)

    def forward(self, params, x, space, dropout):
        """``x @ W + b``, into the workspace's output."""
        coef, intercept = params
        space.input = x
        z = space.ops.matmul_into(x, coef, space.output)
        z += intercept
        return z

    def backward(self, params, grads, delta, space, wants_input_gradient):
        """``dW = x.T @ delta``, ``db`` the column sums of ``delta``, and ``delta @ W.T``.

        Each bias gradient, a column sum of the deltas, is a product with a
        row of ones: a single BLAS call, twice as fast as ``np.add.reduce``
        on a batch of 200 rows.
        """
        ops, (coef, _), (grad_coef, grad_intercept) = space.ops, params, grads
        ops.matmul_into(space.input.T, delta, grad_coef)
        ops.matmul_into(space.ones, delta, grad_intercept)
        if not wants_input_gradient:
            return None
        return ops.matmul_into(delta, coef.T, space.input_gradient)

    def onnx(self, graph, params, x):
        """MatMul and Add."""
        coef, intercept = params
        return graph.node("Add", [graph.node("MatMul", [x, graph.constant(coef, "coef")]),
                                  graph.constant(intercept, "intercept")])


class Activation:
    """An activation function of the registry, applied in place to the layer before's output.

    Parameters
    ----------
    name : str
        A key of ``ACTIVATIONS``.
    units : int
        Its width (that of the layer before).
    """

    parameter_shapes = ()
    parameter_names = ()

    def __init__(self, name, units):
        self.name, self.units = name, int(units)
        self.rule = ACTIVATIONS[name]
        self.keeps_input = self.rule.backward_from == "input"

    def workspace(self, n_rows, like, *, training, wants_input_gradient, ones):
        """Where, in training, the input is kept for rules whose derivative needs it (GELU)."""
        ops = primitives(like)
        kept = ops.empty((n_rows, self.units), like) if training and self.keeps_input else None
        return Workspace(ops, saved=kept)

    def forward(self, params, x, space, dropout):
        """The activation of ``x``, in place; what the backward rule needs is kept.

        That is the output for most rules, a copy of the input for those that
        need it (only in training, where the workspace has room for it).
        """
        if not self.keeps_input:
            space.saved = self.rule.forward(x)
            return space.saved
        if space.saved is not None:
            space.saved[...] = x
        return self.rule.forward(x)

    def backward(self, params, grads, delta, space, wants_input_gradient):
        """The chain rule through the activation, in place on ``delta``."""
        return self.rule.backward(space.saved, delta)

    def onnx(self, graph, params, x):
        """The activation's own ONNX form (``Activation.onnx`` of the registry)."""
        return self.rule.onnx(graph, x)


class Dropout:
    """Inverted dropout on the output of hidden layer ``index`` while training.

    The masks are drawn per batch by ``dropout.Dropout`` and passed to the
    forward pass as a ``DropoutBatch``; without one (prediction, validation)
    the layer passes its input through.
    """

    parameter_shapes = ()
    parameter_names = ()

    def __init__(self, index, units):
        self.index, self.units = int(index), int(units)

    def workspace(self, n_rows, like, *, training, wants_input_gradient, ones):
        """Nothing to allocate: the batch's masks and buffers come with the batch."""
        return Workspace(primitives(like))

    def forward(self, params, x, space, dropout):
        """``x`` times this batch's mask, into the batch's buffer; or ``x`` without one."""
        mask = None if dropout is None or self.index >= len(dropout.masks) else (
            dropout.masks[self.index])
        space.saved = mask
        if mask is None:
            return x
        return space.ops.multiply(x, mask, out=dropout.outputs[self.index])

    def backward(self, params, grads, delta, space, wants_input_gradient):
        """The chain rule through the thinning: ``delta`` times the same mask."""
        if space.saved is not None:
            delta *= space.saved
        return delta

    def onnx(self, graph, params, x):
        """Prediction uses the whole network: nothing to write."""
        return x
