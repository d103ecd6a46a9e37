"""Prediction: new data through the fitted network, reading no training parameter.

``PredictionMixin`` gives the estimators their one door of prediction,
``_network_output(X, method)``: it validates X, or skips ``validate_data``
where that provably changes nothing; under array API dispatch it checks
that X lives where the fitted weights do; and it runs the network kept for
the fitted weights, outside the estimator, so that predicting changes none
of its attributes. ``hidden_activations`` goes through the same door.
"""

import functools
import numbers
import weakref

import numpy as np
from sklearn import get_config
from sklearn.utils.validation import check_is_fitted, validate_data

from .data.checks import naming_non_numeric_X
from .data.placement import (
    FLOAT_DTYPES,
    compute_dtypes,
    is_dask_collection,
    is_plain_numpy,
    placement_of,
    placement_of_fitted,
)
from .network.network import Network
from .network.primitives import primitives, to_numpy

_NETWORKS = weakref.WeakKeyDictionary()
"""Each fitted estimator's network for prediction, with the state it was built for."""


def lazy_on_dask(method):
    """Make prediction ``method`` return a lazy dask array for a dask X (see
    ``data.dask_prediction``)."""
    @functools.wraps(method)
    def predicting(estimator, X):
        if not is_dask_collection(X):
            return method(estimator, X)
        from .data.dask_inputs import columns_of
        from .data.dask_prediction import lazy_prediction, zero_row

        check_is_fitted(estimator, "out_activation_")
        validate_data(estimator, columns_of(X), skip_check_array=True, reset=False)
        predict = getattr(estimator, method.__name__)
        return lazy_prediction(predict, X, predict(zero_row(estimator.n_features_in_, X)))

    return predicting


class PredictionMixin:
    """What the estimators predict with: the fitted network, and its hidden layers."""

    def _network_output(self, X, method):
        """The fitted network's output for ``X``; ``method`` names the public method in errors.

        Under array API dispatch, X must be in the namespace and on the device
        the estimator was fitted on; without dispatch, the weights are brought
        to NumPy if needed.
        """
        if not hasattr(self, "out_activation_"):
            check_is_fitted(self, "out_activation_")
        X, layer_params = self._prediction_inputs(X, method)
        return self._prediction_network().predict(layer_params, X)

    def _prediction_inputs(self, X, method):
        """``(X, layer_params)``: X checked, and each layer's fitted arrays where X is."""
        if self._needs_no_checks(X):
            coefs, intercepts = self.coefs_, self.intercepts_
        else:
            X, coefs, intercepts = self._checked_input(X, method)
        return X, self._prediction_network().layer_parameters(coefs, intercepts)

    def _needs_no_checks(self, X):
        """Whether ``validate_data`` would hand ``X`` back as it is, without a word.

        True only for a plain 2-D NumPy array of finite float64 or float32
        values (of the fitted compute dtype, if one was set), with the fitted
        number of columns, for a model fitted on NumPy without feature names:
        there ``validate_data`` converts nothing, and none of its errors or
        warnings apply. Everything else takes the full check. On one row this
        saves about 60 µs, most of ``predict_proba``'s time.
        """
        compute_dtype = self._fitted_compute_dtype()
        return (is_plain_numpy(X) and X.ndim == 2
                and X.dtype in FLOAT_DTYPES and X.dtype.isnative
                and (compute_dtype is None or X.dtype == compute_dtype)
                and X.shape[0] > 0 and X.shape[1] == self.n_features_in_
                and not hasattr(self, "feature_names_in_")
                and is_plain_numpy(self.coefs_[0])
                and bool(np.isfinite(X).all()))

    def _checked_input(self, X, method):
        """``(X, coefs, intercepts)``: X validated, and the weights in X's namespace."""
        placement = placement_of(X)
        fitted = placement_of_fitted(self.coefs_[0])
        coefs, intercepts = self.coefs_, self.intercepts_
        if get_config().get("array_api_dispatch", False):
            self._check_same_placement(placement, fitted, method, X)
        elif fitted is not None:
            coefs = [to_numpy(coef) for coef in coefs]
            intercepts = [to_numpy(intercept) for intercept in intercepts]
        dtypes = compute_dtypes(placement, self._fitted_compute_dtype())
        with naming_non_numeric_X():
            X = validate_data(self, X, accept_sparse="csr", dtype=dtypes, reset=False)
        return X, coefs, intercepts

    def _fitted_networks(self):
        """Each fitted network's arrays, per layer, in NumPy (for the ONNX export); one here."""
        return [self._prediction_network().layer_parameters(
            [to_numpy(coef) for coef in self.coefs_],
            [to_numpy(intercept) for intercept in self.intercepts_])]

    def _fitted_compute_dtype(self):
        """The ``dtype`` this model was fitted to compute in (``"float32"``...), or None: X's.

        Models saved before ``dtype`` existed have none.
        """
        return getattr(self, "_compute_dtype", None)

    def _check_same_placement(self, placement, fitted, method, X):
        """X of ``method`` must be where the fitted weights are, as scikit-learn requires."""
        if placement == fitted:
            return
        where = "NumPy" if fitted is None else fitted.describe()
        given = ("NumPy" if placement is None else placement.describe())
        raise ValueError(
            f"Inputs passed to {type(self).__name__}.{method}() must use the same namespace "
            f"and the same device as those passed to fit(). It was fitted on {where}; "
            f"X is {given} ({type(X).__name__}). Move X there, or refit on X's arrays.")

    def _prediction_network(self):
        """The network that was trained, whatever set_params changed since.

        Kept for the next call while the weights' shapes and the activations
        stay as they are (a prediction would otherwise rebuild it). It has no
        loss: prediction reads no training parameter.
        """
        coefs = self.coefs_
        key = (id(coefs), *(coef.shape for coef in coefs), str(self._trained_activation),
               self.out_activation_)
        kept = _NETWORKS.get(self)
        if kept is None or kept[0] != key:
            sizes = [coefs[0].shape[0], *(coef.shape[1] for coef in coefs)]
            kept = (key, Network.perceptron(sizes, self._trained_activation,
                                            self.out_activation_, loss=None))
            _NETWORKS[self] = kept
        return kept[1]

    def hidden_activations(self, X, layer=-1):
        """The outputs of hidden layer ``layer`` for every row of ``X``.

        This is the way to use the network as a feature extractor: in a
        Pipeline through ``FunctionTransformer(model.hidden_activations)`` of
        a fitted model, or stacked before another estimator. It is not a
        ``transform`` method: one would make scikit-learn treat the estimator
        as a transformer (which common checks it runs, what ``fit_transform``
        and Pipelines expect of it), and a classifier's or regressor's place
        in a Pipeline is the last.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Under array API dispatch, in the namespace and on the device of
            the fit.
        layer : int or list of int, default=-1
            Index of the hidden layer (0 is the first, -1 the last), or a
            list of indices.

        Returns
        -------
        activations : ndarray of shape (n_samples, units), or a list of them
            After the layer's activation function, in the fitted weights'
            dtype, namespace and device; a list when ``layer`` is a list.

        Examples
        --------
        >>> from skxor import MLPBackpropClassifier
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> clf = MLPBackpropClassifier((5, 3), solver="lbfgs", random_state=0)
        >>> clf.fit(X, [0, 1, 1, 0]).hidden_activations(X).shape
        (4, 3)
        >>> [features.shape for features in clf.hidden_activations(X, layer=[0, 1])]
        [(4, 5), (4, 3)]
        """
        if not hasattr(self, "out_activation_"):
            check_is_fitted(self, "out_activation_")
        network = self._prediction_network()
        indices = _hidden_layer_indices(layer, len(network.hidden_outputs))
        X, layer_params = self._hidden_layer_inputs(X)
        outputs = [network.forward(layer_params, X, up_to=network.hidden_outputs[index])
                   for index in indices]
        return outputs if isinstance(layer, (list, tuple)) else outputs[0]

    def _hidden_layer_inputs(self, X):
        """``(X, layer_params)`` for ``hidden_activations``: X checked, in the weights' dtype."""
        X, coefs, intercepts = self._checked_input(X, "hidden_activations")
        ops = primitives(coefs[0])
        X = ops.astype(X, coefs[0].dtype) if X.dtype != coefs[0].dtype else X
        return X, self._prediction_network().layer_parameters(coefs, intercepts)


def _hidden_layer_indices(layer, n_hidden):
    """``layer`` (an index or a list of them) as non-negative hidden-layer indices."""
    given = list(layer) if isinstance(layer, (list, tuple)) else [layer]
    if not given or not all(isinstance(index, numbers.Integral)
                            and not isinstance(index, bool) for index in given):
        raise TypeError(f"layer must be an int or a non-empty list of ints; got {layer!r}.")
    if n_hidden == 0:
        raise ValueError("This network has no hidden layer (hidden_layer_sizes=()), so it "
                         "has no hidden activations.")
    outside = [index for index in given if not -n_hidden <= index < n_hidden]
    if outside:
        raise ValueError(f"layer={layer!r} names no hidden layer: this network has "
                         f"{n_hidden}, indexed 0 to {n_hidden - 1} (or -{n_hidden} to -1).")
    return [int(index) % n_hidden for index in given]
