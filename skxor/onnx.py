"""ONNX export: skl2onnx converters for skxor's estimators (``pip install "skxor[onnx]"``).

Importing this module registers both estimators with skl2onnx, so that
``skl2onnx.to_onnx(model, X[:1])`` converts them, alone or inside a Pipeline,
with skl2onnx's usual outputs (a classifier's ``label`` and
``probabilities``, the latter through ZipMap unless ``options={"zipmap":
False}``). The graph is the network's own forward pass in ONNX operators,
in the input's float type; what it cannot express raises at export.

Examples
--------
>>> import numpy as np
>>> import onnxruntime
>>> import skl2onnx
>>> import skxor.onnx  # registers the converters
>>> from skxor import MLPBackpropClassifier
>>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
>>> clf = MLPBackpropClassifier((4,), activation="tanh", solver="lbfgs",
...                             random_state=0).fit(X, [0, 1, 1, 0])
>>> onx = skl2onnx.to_onnx(clf, X[:1], options={"zipmap": False})
>>> session = onnxruntime.InferenceSession(onx.SerializeToString())
>>> session.run(None, {"X": X})[0].tolist()
[0, 1, 1, 0]
"""

import numpy as np
from skl2onnx import update_registered_converter
from skl2onnx.common.data_types import guess_numpy_type, guess_proto_type
from skl2onnx.common.shape_calculator import (
    calculate_linear_classifier_output_shapes,
    calculate_linear_regressor_output_shapes,
)

from ._classifier import MLPBackpropClassifier
from ._regressor import MLPBackpropRegressor
from .network.activations import ACTIVATIONS
from .network.losses import probability_bounds
from .network.primitives import to_numpy


class _Graph:
    """Adds nodes and constants of one converter call to skl2onnx's container.

    ``dtype`` is the float type the graph computes in: the model's compute
    ``dtype`` when it was fitted with one, else the input's, as ``predict``
    computes. ``input`` and ``output`` cast from and to the declared types
    where they differ from it.
    """

    def __init__(self, scope, container, operator):
        self.scope, self.container = scope, container
        given = guess_numpy_type(operator.inputs[0].type)
        self.dtype = np.dtype(operator.raw_operator._fitted_compute_dtype() or given)
        self.proto_type = guess_proto_type_of(self.dtype)
        name = operator.inputs[0].full_name
        self.input = (name if np.dtype(given) == self.dtype
                      else self.node("Cast", [name], to=self.proto_type))

    def output(self, value, variable):
        """Write float ``value`` to output ``variable`` in its declared type."""
        declared = guess_numpy_type(variable.type)
        if np.dtype(declared) == self.dtype:
            return self.node("Identity", [value], variable.full_name)
        return self.node("Cast", [value], variable.full_name, to=guess_proto_type_of(declared))

    def constant(self, values, name="constant"):
        values = np.asarray(values)
        unique = self.scope.get_unique_variable_name(name)
        if values.dtype.kind in "fc":
            values = values.astype(self.dtype)
        proto = self.proto_type if values.dtype.kind == "f" else _PROTO_OF[values.dtype.kind]
        self.container.add_initializer(unique, proto, list(values.shape),
                                       values.ravel().tolist())
        return unique

    def node(self, op_type, inputs, output=None, **attributes):
        output = output or self.scope.get_unique_variable_name(op_type.lower())
        self.container.add_node(op_type, inputs, [output],
                                name=self.scope.get_unique_operator_name(op_type), **attributes)
        return output


def guess_proto_type_of(dtype):
    """ONNX's element type for a NumPy float dtype."""
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType

    kind = DoubleTensorType if np.dtype(dtype) == np.float64 else FloatTensorType
    return guess_proto_type(kind())


_PROTO_OF = {"i": 7, "u": 7, "b": 9, "U": 8, "O": 8}
"""ONNX element types of integer (int64), boolean and text constants."""


def _forward(graph, model, X):
    """The network's output for input ``X``: each layer's ONNX form, then the output's.

    Each layer writes its own (``onnx`` of ``network.layers``), and each
    activation of the registry its own, so every registered activation exports.
    """
    network = model._prediction_network()
    layer_params = network.layer_parameters([to_numpy(coef) for coef in model.coefs_],
                                            [to_numpy(bias) for bias in model.intercepts_])
    output = X
    for layer, params in zip(network.layers, layer_params, strict=True):
        output = layer.onnx(graph, params, output)
    return ACTIVATIONS[network.output_activation].onnx(graph, output)


def _convert_classifier(scope, operator, container):
    model = operator.raw_operator
    graph = _Graph(scope, container, operator)
    output = _forward(graph, model, graph.input)
    label, probabilities = operator.outputs[0].full_name, operator.outputs[1]
    if container.get_options(model, dict(nocl=False))["nocl"]:
        classes = np.arange(len(model.classes_), dtype=np.int64)  # labels as class indices
    else:
        classes = _exportable_classes(model)
    kind = model._label_binarizer.y_type_
    if model.out_activation_ == "softmax":
        graph.output(output, probabilities)
        index = graph.node("ArgMax", [output], axis=1, keepdims=0)
        graph.node("Gather", [graph.constant(classes, "classes"), index], label)
        return
    low, high = probability_bounds(graph.dtype)
    clipped = graph.node("Clip", [output, graph.constant(low), graph.constant(high)])
    above = graph.node("Cast", [graph.node("Greater", [output, graph.constant(0.5)])], to=7)
    if kind == "multilabel-indicator":
        graph.output(clipped, probabilities)
        graph.node("Identity", [above], label)
        return
    complement = graph.node("Sub", [graph.constant(1.0), clipped])
    graph.output(graph.node("Concat", [complement, clipped], axis=1), probabilities)
    flat = graph.node("Reshape", [above, graph.constant(np.array([-1], dtype=np.int64))])
    graph.node("Gather", [graph.constant(classes, "classes"), flat], label)


def _exportable_classes(model):
    """``classes_`` as ONNX can hold them: int64 or text; anything else is refused."""
    classes = to_numpy(model.classes_)
    if classes.dtype.kind in "iub":
        return classes.astype(np.int64)
    if classes.dtype.kind in "UO" and all(isinstance(label, str) for label in classes):
        return classes.astype(str)
    raise NotImplementedError(
        f"skxor.onnx exports integer or text class labels; classes_ has dtype "
        f"{classes.dtype}. Encode the labels, for example with LabelEncoder, before fitting.")


def _convert_regressor(scope, operator, container):
    model = operator.raw_operator
    graph = _Graph(scope, container, operator)
    output = _forward(graph, model, graph.input)
    levels = getattr(model, "quantiles_", None)
    if levels is not None and len(levels) > 1:
        output = _sorted_rows(graph, output, len(levels))
    graph.output(output, operator.outputs[0])


def _sorted_rows(graph, output, n_columns):
    """Each row of ``output`` in increasing order, as ``predict`` sorts quantile levels.

    TopK of all columns, smallest first; its second output, the indices, is
    left unused.
    """
    values, indices = (graph.scope.get_unique_variable_name(name)
                       for name in ("sorted", "order"))
    graph.container.add_node(
        "TopK", [output, graph.constant(np.array([n_columns], dtype=np.int64), "k")],
        [values, indices], name=graph.scope.get_unique_operator_name("TopK"),
        op_version=11, axis=1, largest=0, sorted=1)
    return values


def _classifier_shapes(operator):
    """skl2onnx's label and probability types; a multilabel label has one column per label."""
    calculate_linear_classifier_output_shapes(operator)
    model = operator.raw_operator
    if model._label_binarizer.y_type_ == "multilabel-indicator":
        label_type = operator.outputs[0].type.__class__
        operator.outputs[0].type = label_type([None, model.n_outputs_])


update_registered_converter(
    MLPBackpropClassifier, "SkxorMLPBackpropClassifier", _classifier_shapes,
    _convert_classifier, options={"zipmap": [True, False, "columns"], "nocl": [False, True]})
def _regressor_shapes(operator):
    calculate_linear_regressor_output_shapes(operator)
    value_type = operator.outputs[0].type.__class__
    operator.outputs[0].type = value_type([None, operator.raw_operator.n_outputs_])


update_registered_converter(
    MLPBackpropRegressor, "SkxorMLPBackpropRegressor", _regressor_shapes, _convert_regressor)
