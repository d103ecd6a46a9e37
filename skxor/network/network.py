"""A fully connected feed-forward network whose parameters live in one flat vector.

The vector holds every layer's weights (row-major, layer by layer) followed by
every layer's biases. ``Network.unpack`` turns a vector into per-layer views,
so the optimisers update one array, L-BFGS needs no packing, and the L2
penalty is one dot product over the weight block.
"""

from dataclasses import dataclass

from .activations import ACTIVATIONS, hidden_activations
from .losses import normalized_weights
from .primitives import primitives


@dataclass
class _BatchBuffers:
    """Working arrays of one batch shape.

    ``activations`` and ``deltas`` hold one ``(n_samples, units)`` array per
    non-input layer; ``preactivations`` a copy of the input of each hidden
    layer whose derivative needs it (GELU), None for the others; ``ones``
    one per row; ``weight_scratch`` room for the L2 term of the weights.
    """

    activations: list
    deltas: list
    preactivations: list
    ones: object
    weight_scratch: object


def _mask(dropout, layer):
    """Layer ``layer``'s dropout mask in ``dropout`` (a DropoutBatch or None), or None."""
    if dropout is None or layer >= len(dropout.masks):
        return None
    return dropout.masks[layer]


def _thinned(activations, dropout, layer):
    """The output of hidden layer ``layer`` as the next layer saw it: after its mask."""
    return activations[layer] if _mask(dropout, layer) is None else dropout.outputs[layer]


class Network:
    """Layer sizes, activations and loss of a multi-layer perceptron.

    The network holds no parameters: every method takes them as arguments, so
    one network serves training, prediction and gradient checks alike.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input and output layers included.
    hidden_activation : str or sequence of str
        Activation of every hidden layer, or one per hidden layer: a key of
        ``ACTIVATIONS`` or of its ``ALIASES``.
    output_activation : str
        Key of ``ACTIVATIONS`` used by the output layer.
    loss : loss object or None
        What training minimises, such as ``LogLoss()`` or ``Huber(delta)``
        (see ``losses``); None for a network that only predicts.

    Attributes
    ----------
    activations : tuple of str
        The ``ACTIVATIONS`` key of each non-input layer, the output layer last.
    """

    def __init__(self, layer_sizes, hidden_activation, output_activation, loss):
        self.layer_sizes = tuple(int(size) for size in layer_sizes)
        n_hidden = len(self.layer_sizes) - 2
        hidden = hidden_activations(hidden_activation, n_hidden)
        if len(hidden) != n_hidden:
            raise ValueError(f"{len(hidden)} hidden activations given for "
                             f"{n_hidden} hidden layers.")
        self.activations = (*hidden, output_activation)
        self.output_activation = output_activation
        self.loss = loss
        self.coef_shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True))
        self.n_coef_params = sum(fan_in * fan_out for fan_in, fan_out in self.coef_shapes)
        self.size = self.n_coef_params + sum(self.layer_sizes[1:])
        self._activation_rules = [ACTIVATIONS[name] for name in self.activations]
        self._keeps_input = [rule.backward_from == "input"
                             for rule in self._activation_rules[:-1]]
        self._buffers = {}
        self._views = {}

    def __getstate__(self):
        """The network without its caches: a copy (for a dask worker) builds its own."""
        return {**self.__dict__, "_buffers": {}, "_views": {}}

    @property
    def n_layers(self):
        """Number of layers, input and output included."""
        return len(self.layer_sizes)

    def unpack(self, vector):
        """Per-layer views ``(coefs, intercepts)`` into a flat vector.

        The views of the last two vectors unpacked (in training: the
        parameters and the gradient) are kept, so the hot loop does not
        rebuild them for every batch.

        Parameters
        ----------
        vector : ndarray of shape (size,)

        Returns
        -------
        coefs : list of ndarray of shape (fan_in, fan_out)
        intercepts : list of ndarray of shape (fan_out,)
        """
        cached = self._views.get(id(vector))
        if cached is not None and cached[0] is vector:
            return cached[1]
        views = self._make_views(vector)
        if len(self._views) >= 2:
            self._views.clear()
        self._views[id(vector)] = (vector, views)
        return views

    def _make_views(self, vector):
        ops = primitives(vector)
        coefs, intercepts = [], []
        start = 0
        for fan_in, fan_out in self.coef_shapes:
            stop = start + fan_in * fan_out
            coefs.append(ops.reshape(vector[start:stop], (fan_in, fan_out)))
            start = stop
        for _, fan_out in self.coef_shapes:
            intercepts.append(vector[start : start + fan_out])
            start += fan_out
        return coefs, intercepts

    def pack(self, coefs, intercepts, dtype):
        """Copy per-layer arrays (all of one namespace) into a new flat vector of ``dtype``."""
        ops = primitives(coefs[0])
        parts = [ops.reshape(array, (-1,)) for array in (*coefs, *intercepts)]
        return ops.astype(ops.concatenate(parts), dtype)

    def forward(self, coefs, intercepts, X, activations=None, preactivations=None,
                dropout=None):
        """Forward pass: the output layer's activation for every row of ``X``.

        Parameters
        ----------
        coefs, intercepts : lists of ndarray
            Per-layer weights ``(fan_in, fan_out)`` and biases ``(fan_out,)``.
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        activations : list of ndarray, optional
            Buffers of shape ``(n_samples, units)`` for each non-input layer;
            new arrays are allocated when omitted.
        preactivations : list of ndarray or None, optional
            Where hidden layers whose derivative needs their input (GELU)
            keep a copy of it for the backward pass; None entries keep nothing.
        dropout : DropoutBatch, optional
            Masks to multiply hidden outputs by (training only); the thinned
            outputs go into its buffers, ``activations`` keep the unthinned.

        Returns
        -------
        output : ndarray of shape (n_samples, n_outputs)
        """
        ops = primitives(coefs[0])
        if activations is None:
            activations = self._new_layer_arrays(X.shape[0], self._result_like(X, coefs[0]))
        layer_input = X
        for index, (coef, intercept) in enumerate(zip(coefs, intercepts, strict=True)):
            z = ops.matmul_into(layer_input, coef, activations[index])
            z += intercept
            if preactivations is not None and index < len(preactivations):
                kept = preactivations[index]
                if kept is not None:
                    kept[...] = z
            layer_input = self._activation_rules[index].forward(z)
            mask = _mask(dropout, index)
            if mask is not None:
                layer_input = ops.multiply(layer_input, mask, out=dropout.outputs[index])
        return layer_input

    def predict(self, coefs, intercepts, X, chunk_rows=1024):
        """Forward pass over any number of rows, in chunks through reused buffers.

        Peak memory is the output plus one chunk's activations, however many
        rows ``X`` has, and each chunk stays in cache between layers. The
        buffers belong to this call, so threads may share one network.

        Parameters
        ----------
        coefs, intercepts : lists of ndarray
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        chunk_rows : int, default=1024

        Returns
        -------
        output : ndarray of shape (n_samples, n_outputs)
        """
        like = self._result_like(X, coefs[0])
        n_samples = X.shape[0]
        output = primitives(like).empty((n_samples, self.layer_sizes[-1]), like)
        hidden = self._new_layer_arrays(min(chunk_rows, n_samples), like)[:-1]
        for start in range(0, n_samples, chunk_rows):
            rows = slice(start, min(start + chunk_rows, n_samples))
            size = rows.stop - rows.start
            # the trailing ... is the standard's way to take whole rows
            buffers = [buffer[:size, ...] for buffer in hidden] + [output[rows, ...]]
            self.forward(coefs, intercepts, X[rows, ...], buffers)
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
            MLPRegressor's multi-output squared error, see ``_losses``).
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
        coefs, intercepts = self.unpack(params)
        buffers = self._batch_buffers(X.shape[0], params)
        proba = self.forward(coefs, intercepts, X, buffers.activations, buffers.preactivations,
                             dropout)
        total_weight, weights = normalized_weights(sample_weight)
        if total_weight is None:
            total_weight = X.shape[0]
        loss_function = self.loss
        loss = loss_function.value(proba, target, weights, self.output_activation)
        if report:
            loss = loss_function.reported(loss, proba.shape[1])
        loss_function.output_delta(
            proba, target, weights, self.output_activation, out=buffers.deltas[-1]
        )
        ops = primitives(params)
        self._backward(coefs, X, buffers, grad, ops, dropout)
        scale = alpha / total_weight
        return loss + self._add_l2_penalty(params, grad, scale, buffers.weight_scratch, ops)

    def _backward(self, coefs, X, buffers, grad, ops, dropout=None):
        """Backpropagate ``buffers.deltas[-1]`` and write every layer's gradient.

        Each bias gradient, a column sum of the deltas, is a product with a
        row of ones: a single BLAS call, twice as fast as ``np.add.reduce``
        on a batch of 200 rows.
        """
        grad_coefs, grad_intercepts = self.unpack(grad)
        activations, deltas = buffers.activations, buffers.deltas
        for index in range(len(coefs) - 1, -1, -1):
            layer_input = X if index == 0 else _thinned(activations, dropout, index - 1)
            ops.matmul_into(layer_input.T, deltas[index], grad_coefs[index])
            ops.matmul_into(buffers.ones, deltas[index], grad_intercepts[index])
            if index > 0:
                hidden = index - 1
                ops.matmul_into(deltas[index], coefs[index].T, deltas[hidden])
                mask = _mask(dropout, hidden)
                if mask is not None:
                    deltas[hidden] *= mask  # the chain rule through the thinning
                saved = (buffers.preactivations[hidden] if self._keeps_input[hidden]
                         else activations[hidden])
                self._activation_rules[hidden].backward(saved, deltas[hidden])

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
    def _result_like(X, coef):
        """An array of the dtype, namespace and device a forward pass of ``X`` computes in.

        That is the weights', unless ``X`` has the wider float dtype.
        """
        ops = primitives(coef)
        return coef if ops.result_type(X.dtype, coef.dtype) == coef.dtype else X

    def _new_layer_arrays(self, n_samples, like):
        """One ``(n_samples, units)`` array per non-input layer, of ``like``'s kind."""
        ops = primitives(like)
        return [ops.empty((n_samples, units), like) for units in self.layer_sizes[1:]]

    def _batch_buffers(self, n_samples, like):
        """The working arrays of ``loss_gradient`` for a batch shape, made once.

        A fit sees at most a few batch shapes (the batch size, the last
        partial batch, the full set for L-BFGS), so the cache stays small.
        The arrays are of ``like``'s dtype, namespace and device.
        """
        key = (n_samples, like.dtype, type(like))
        if key not in self._buffers:
            ops = primitives(like)
            preactivations = [ops.empty((n_samples, units), like) if keeps else None
                              for units, keeps in zip(self.layer_sizes[1:-1],
                                                      self._keeps_input, strict=True)]
            ones = ops.empty((n_samples,), like)
            ones[...] = 1
            self._buffers[key] = _BatchBuffers(
                activations=self._new_layer_arrays(n_samples, like),
                deltas=self._new_layer_arrays(n_samples, like),
                preactivations=preactivations,
                ones=ones,
                weight_scratch=ops.empty((self.n_coef_params,), like),
            )
        return self._buffers[key]
