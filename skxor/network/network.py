"""A feed-forward network: a sequence of layers over one flat parameter vector, and a loss.

Every layer's parameters live in one vector: first every array the L2
penalty and weight decay apply to (the weights), layer by layer, then every
other (the biases). ``Network.unpack`` turns a vector into each layer's
views of it, so the optimisers update one array, L-BFGS needs no packing,
and the L2 penalty is one dot product over the leading block. A
perceptron's vector holds its layers' weights row-major, then their
biases, as it always has.
"""

from dataclasses import dataclass

from .activations import ACTIVATIONS, hidden_activations
from .layers import Activation, Dense, Dropout
from .losses import normalized_weights
from .primitives import primitives


@dataclass
class _BatchBuffers:
    """The working arrays of one batch shape: each layer's workspace, the output layer's
    delta, a row of ones and room for the L2 term of the weights."""

    spaces: list
    output_delta: object
    weight_scratch: object


def _layout(layers):
    """Where each layer's arrays start in the flat vector: ``(slots, n_penalised, size)``.

    ``slots[i]`` holds ``(start, shape)`` for each array of layer ``i``, in
    the order the layer declares them. The penalised arrays come first.
    """
    slots = [[None] * len(layer.parameter_shapes) for layer in layers]
    start, n_penalised = 0, 0
    for penalised in (True, False):
        for index, layer in enumerate(layers):
            for position, (shape, is_penalised) in enumerate(layer.parameter_shapes):
                if is_penalised == penalised:
                    slots[index][position] = (start, tuple(shape))
                    start += _count(shape)
        n_penalised = n_penalised or start
    return [tuple(slot) for slot in slots], n_penalised, start


class Network:
    """A sequence of layers, the activation of its output, and its loss.

    The network holds no parameters: every method takes them as arguments
    (a flat vector, or each layer's arrays), so one network serves training,
    prediction and gradient checks alike.

    Parameters
    ----------
    layers : sequence of layers
        See ``layers``: each owns views of the flat vector and writes its
        forward and backward rules.
    output_activation : str
        Key of ``ACTIVATIONS`` applied to the last layer's output. Its
        backward rule is the loss's business (``output_delta``).
    loss : loss object or None
        What training minimises, such as ``LogLoss()`` or ``Huber(delta)``
        (see ``losses``); None for a network that only predicts.
    """

    def __init__(self, layers, output_activation, loss):
        self.layers = tuple(layers)
        self.output_activation = output_activation
        self.loss = loss
        self._output_rule = ACTIVATIONS[output_activation]
        self._slots, self.n_coef_params, self.size = _layout(self.layers)
        self._buffers = {}
        self._views = {}

    @classmethod
    def perceptron(cls, layer_sizes, hidden_activation, output_activation, loss,
                   dropout_rates=(), bias_rate_factor=1.0):
        """A multi-layer perceptron: per hidden layer Dense and an activation, then Dense.

        Parameters
        ----------
        layer_sizes : sequence of int
            Units per layer, input and output layers included.
        hidden_activation : str or sequence of str
            Activation of every hidden layer, or one per hidden layer: a key
            of ``ACTIVATIONS`` or of its ``ALIASES``.
        output_activation : str
        loss : loss object or None
        dropout_rates : sequence of float, optional
            With any rate above 0, each hidden layer is followed by a
            ``Dropout`` layer, which thins its output with the masks of the
            batch (``dropout.Dropout``).
        bias_rate_factor : float, default=1.0
            How much faster than the weights the biases learn.
        """
        sizes = [int(size) for size in layer_sizes]
        n_hidden = len(sizes) - 2
        hidden = hidden_activations(hidden_activation, n_hidden)
        if len(hidden) != n_hidden:
            raise ValueError(f"{len(hidden)} hidden activations given for "
                             f"{n_hidden} hidden layers.")
        layers = []
        for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            layers.append(Dense(fan_in, fan_out, bias_rate_factor))
            if index < n_hidden:
                layers.append(Activation(hidden[index], fan_out))
                if any(dropout_rates):
                    layers.append(Dropout(index, fan_out))
        return cls(layers, output_activation, loss)

    def for_prediction(self):
        """This network without its loss and its dropout: what predicts with fitted weights.

        The parameter layout is the same (dropout owns no parameters).
        """
        return Network([layer for layer in self.layers if not isinstance(layer, Dropout)],
                       self.output_activation, loss=None)

    def __getstate__(self):
        """The network without its caches: a copy (for a dask worker) builds its own."""
        return {**self.__dict__, "_buffers": {}, "_views": {}}

    @property
    def dense_layers(self):
        """The ``Dense`` layers, in order."""
        return tuple(layer for layer in self.layers if isinstance(layer, Dense))

    @property
    def layer_sizes(self):
        """The widths of the dense stack: its input, then each Dense layer's output."""
        dense = self.dense_layers
        return (dense[0].fan_in, *(layer.fan_out for layer in dense))

    @property
    def n_layers(self):
        """Number of layers of the dense stack, input and output included."""
        return len(self.layer_sizes)

    @property
    def coef_shapes(self):
        """The ``(fan_in, fan_out)`` of each Dense layer's weights."""
        return [(layer.fan_in, layer.fan_out) for layer in self.dense_layers]

    @property
    def hidden_outputs(self):
        """The index of each hidden layer's activation in ``layers``: its output is the
        hidden layer's (``hidden_activations``)."""
        return [index for index, layer in enumerate(self.layers)
                if isinstance(layer, Activation)]

    def unpack(self, vector):
        """Each layer's views of a flat vector: a tuple per layer, in ``layers``' order.

        The views of the last two vectors unpacked (in training: the
        parameters and the gradient) are kept, so the hot loop does not
        rebuild them for every batch.

        Parameters
        ----------
        vector : ndarray of shape (size,)

        Returns
        -------
        layer_params : tuple of tuple of ndarray
        """
        cached = self._views.get(id(vector))
        if cached is not None and cached[0] is vector:
            return cached[1]
        ops = primitives(vector)
        views = tuple(tuple(ops.reshape(vector[start:start + _count(shape)], shape)
                            for start, shape in slots)
                      for slots in self._slots)
        if len(self._views) >= 2:
            self._views.clear()
        self._views[id(vector)] = (vector, views)
        return views

    def rate_factors(self, like):
        """Per parameter, how much faster than the base rate it learns; None if all alike.

        A layer may declare a factor per array (``rate_factors``); the
        others learn at the base rate. A vector of ``like``'s kind.
        """
        declared = [getattr(layer, "rate_factors", (1.0,) * len(layer.parameter_shapes))
                    for layer in self.layers]
        if all(factor == 1.0 for factors in declared for factor in factors):
            return None
        ops = primitives(like)
        vector = ops.empty((self.size,), like)
        for arrays, factors in zip(self.unpack(vector), declared, strict=True):
            for array, factor in zip(arrays, factors, strict=True):
                array[...] = factor
        return vector

    def dense_parameters(self, layer_params):
        """``(coefs, intercepts)``: the Dense layers' arrays among ``layer_params``."""
        dense = [params for layer, params in zip(self.layers, layer_params, strict=True)
                 if isinstance(layer, Dense)]
        return [coef for coef, _ in dense], [intercept for _, intercept in dense]

    def layer_parameters(self, coefs, intercepts):
        """Each layer's arrays, the Dense layers' from ``coefs`` and ``intercepts``."""
        pairs = iter(zip(coefs, intercepts, strict=True))
        return tuple(next(pairs) if isinstance(layer, Dense) else ()
                     for layer in self.layers)

    def pack(self, layer_params, dtype):
        """Copy each layer's arrays (all of one namespace) into a new flat vector of ``dtype``."""
        placed = sorted((start, array) for slots, arrays in zip(self._slots, layer_params,
                                                                strict=True)
                        for (start, _), array in zip(slots, arrays, strict=True))
        ops = primitives(placed[0][1])
        return ops.astype(ops.concatenate([ops.reshape(array, (-1,)) for _, array in placed]),
                          dtype)

    def forward(self, layer_params, X, up_to=None):
        """The network's output for every row of ``X``, or that of layer ``up_to``.

        Allocates what it writes; ``predict`` computes the output in chunks.

        Parameters
        ----------
        layer_params : sequence of tuple of ndarray
            Each layer's arrays.
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        up_to : int, optional
            Stop after this layer (an index into ``layers``) and return its
            output; by default the output activation's.
        """
        like = self._result_like(X, layer_params)
        stop = len(self.layers) if up_to is None else up_to + 1
        spaces = self._workspaces(X.shape[0], like, training=False)
        output = self._run(layer_params[:stop], X, spaces[:stop], None)
        return self._output_rule.forward(output) if up_to is None else output

    def predict(self, layer_params, X, chunk_rows=1024):
        """Forward pass over any number of rows, in chunks through reused buffers.

        Peak memory is the output plus one chunk's workspaces, however many
        rows ``X`` has, and each chunk stays in cache between layers. The
        last layer writes each chunk straight into the output. The buffers
        belong to this call, so threads may share one network.

        Parameters
        ----------
        layer_params : sequence of tuple of ndarray
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        chunk_rows : int, default=1024

        Returns
        -------
        output : ndarray of shape (n_samples, n_outputs)
        """
        like = self._result_like(X, layer_params)
        n_samples = X.shape[0]
        output = primitives(like).empty((n_samples, self.layers[-1].units), like)
        spaces, spaces_rows = None, 0
        for start in range(0, n_samples, chunk_rows):
            rows = slice(start, min(start + chunk_rows, n_samples))
            size = rows.stop - rows.start
            if size != spaces_rows:  # the first chunk, and a shorter last one
                spaces, spaces_rows = self._workspaces(size, like, training=False), size
            # the trailing ... is the standard's way to take whole rows
            chunk = output[rows, ...]
            spaces[-1].output = chunk
            result = self._output_rule.forward(self._run(layer_params, X[rows, ...], spaces,
                                                         None))
            if result is not chunk:
                chunk[...] = result
        return output

    def loss_gradient(self, params, batch, alpha, grad, report=True, dropout=None):
        """Loss of one batch and, written into ``grad``, its gradient.

        Parameters
        ----------
        params : ndarray of shape (size,)
            Flat parameter vector.
        batch : tuple
            ``(X, target, sample_weight)``: X, {ndarray, sparse matrix} of shape
            (n_samples, n_features); target, ndarray of shape (n_samples,
            n_outputs), the indicator targets in the dtype of ``params``;
            sample_weight, ndarray of shape (n_samples,) or None.
        alpha : float
            L2 penalty strength.
        grad : ndarray of shape (size,)
            Overwritten with the gradient of the objective.
        report : bool, default=True
            Return the loss as the estimator reports it; False returns the
            objective whose gradient ``grad`` is (they differ only for
            MLPRegressor's multi-output squared error, see ``losses``).
        dropout : DropoutBatch, optional
            This batch's dropout masks; the loss and gradient are those of
            the thinned network.

        Returns
        -------
        loss : float

        Notes
        -----
        The loss is the (weighted) mean of the per-sample loss plus
        ``alpha / 2 * ||W||**2 / total_weight``, where ``||W||`` spans every
        weight (not the biases) and ``total_weight`` is the number of samples
        or the sum of their weights. This is scikit-learn's definition, so a
        given ``alpha`` regularises the same in both libraries.
        """
        X, target, sample_weight = batch
        layer_params = self.unpack(params)
        buffers = self._batch_buffers(X.shape[0], params)
        proba = self._output_rule.forward(self._run(layer_params, X, buffers.spaces, dropout))
        total_weight, weights = normalized_weights(sample_weight)
        if total_weight is None:
            total_weight = X.shape[0]
        loss_function = self.loss
        loss = loss_function.value(proba, target, weights, self.output_activation)
        if report:
            loss = loss_function.reported(loss, proba.shape[1])
        delta = loss_function.output_delta(proba, target, weights, self.output_activation,
                                           out=buffers.output_delta)
        self._backward(layer_params, self.unpack(grad), delta, buffers.spaces)
        ops = primitives(params)
        scale = alpha / total_weight
        return loss + self._add_l2_penalty(params, grad, scale, buffers.weight_scratch, ops)

    def _backward(self, layer_params, grads, delta, spaces):
        """The layers' backward rules, last to first, from the output layer's ``delta``."""
        layers = self.layers
        for index in range(len(layers) - 1, -1, -1):
            delta = layers[index].backward(layer_params[index], grads[index], delta,
                                           spaces[index], index > 0)

    def _run(self, layer_params, X, spaces, dropout):
        """The layers' forward rules one after the other, from ``X``.

        As many layers run as ``layer_params`` has entries (``forward``'s ``up_to``).
        """
        x = X
        for layer, params, space in zip(self.layers, layer_params, spaces, strict=False):
            x = layer.forward(params, x, space, dropout)
        return x

    def add_l2_penalty(self, params, grad, alpha, total_weight):
        """Add the L2 term to ``grad``; return its loss, as ``loss_gradient`` adds them.

        For a caller that summed the unpenalised loss and gradient of its
        rows itself (a dask fit's chunks), ``total_weight`` being their
        number or the sum of their weights.
        """
        ops = primitives(params)
        scratch = ops.empty((self.n_coef_params,), params)
        return self._add_l2_penalty(params, grad, alpha / total_weight, scratch, ops)

    def _add_l2_penalty(self, params, grad, scale, scratch, ops):
        """Add ``scale * W`` to the weight gradient; return ``scale / 2 * ||W||**2``."""
        if ops.known_zero(scale):
            return 0.0
        weights = params[: self.n_coef_params]
        grad[: self.n_coef_params] += ops.multiply(weights, scale, out=scratch)
        return 0.5 * scale * ops.float64_scalar(ops.inner(weights, weights))

    @staticmethod
    def _result_like(X, layer_params):
        """An array of the dtype, namespace and device a forward pass of ``X`` computes in.

        That is the parameters', unless ``X`` has the wider float dtype.
        """
        first = next(array for params in layer_params for array in params)
        ops = primitives(first)
        return first if ops.result_type(X.dtype, first.dtype) == first.dtype else X

    def _workspaces(self, n_rows, like, training):
        """A workspace per layer for a batch of ``n_rows`` rows, of ``like``'s kind."""
        ones = None
        if training:
            ones = primitives(like).empty((n_rows,), like)
            ones[...] = 1
        return [layer.workspace(n_rows, like, training=training,
                                wants_input_gradient=training and index > 0, ones=ones)
                for index, layer in enumerate(self.layers)]

    def _batch_buffers(self, n_samples, like):
        """The working arrays of ``loss_gradient`` for a batch shape, made once.

        A fit sees at most a few batch shapes (the batch size, the last
        partial batch, the full set for L-BFGS), so the cache stays small.
        The arrays are of ``like``'s dtype, namespace and device.
        """
        key = (n_samples, like.dtype, type(like))
        if key not in self._buffers:
            ops = primitives(like)
            self._buffers[key] = _BatchBuffers(
                spaces=self._workspaces(n_samples, like, training=True),
                output_delta=ops.empty((n_samples, self.layers[-1].units), like),
                weight_scratch=ops.empty((self.n_coef_params,), like),
            )
        return self._buffers[key]


def _count(shape):
    """The number of entries of an array of ``shape``."""
    count = 1
    for extent in shape:
        count *= extent
    return count
