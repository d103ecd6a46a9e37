"""ONNX export: skl2onnx converters for skxor's estimators (``pip install ".[onnx]"`` from a clone).

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
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    Int64TensorType,
    StringTensorType,
    guess_numpy_type,
    guess_proto_type,
)
from skl2onnx.common.shape_calculator import (
    calculate_linear_classifier_output_shapes,
    calculate_linear_regressor_output_shapes,
)

from ._classifier import MLPBackpropClassifier
from ._regressor import MLPBackpropRegressor
from ._tabular import TabularMLPClassifier, TabularMLPRegressor
from .network.activations import ACTIVATIONS
from .network.losses import probability_bounds
from .network.primitives import to_numpy
from .tables.columns import TextColumn, read_columns
from .tables.encoding import encoded_in_onnx


class _Graph:
    """Adds nodes and constants of one converter call to skl2onnx's container.

    ``dtype`` is the float type the graph computes in: the model's compute
    ``dtype`` when it was fitted with one, else its float input's, as
    ``predict`` computes. ``float_input`` casts a float input to it, and
    ``output`` casts to each output's declared type.
    """

    def __init__(self, scope, container, operator):
        self.scope, self.container = scope, container
        floats = [guess_numpy_type(variable.type) for variable in operator.inputs
                  if np.dtype(guess_numpy_type(variable.type)).kind == "f"]
        self.dtype = np.dtype(operator.raw_operator._fitted_compute_dtype()
                              or (floats[0] if floats else np.float32))
        self.proto_type = guess_proto_type_of(self.dtype)

    def float_input(self, variable):
        """Input ``variable`` in the graph's float type."""
        if np.dtype(guess_numpy_type(variable.type)) == self.dtype:
            return variable.full_name
        return self.node("Cast", [variable.full_name], to=self.proto_type)

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


def _forward(graph, model, inputs):
    """The network's output for the graph's ``inputs``: each layer's ONNX form, then the
    output's; averaged over the networks of an ensemble.

    Each layer writes its own (``onnx`` of ``network.layers``), and each
    activation of the registry its own, so every registered activation exports.
    """
    network = model._prediction_network()
    network_input = _network_input(graph, model, inputs)
    outputs = []
    for layer_params in model._fitted_networks():
        output = network_input
        for layer, params in zip(network.layers, layer_params, strict=True):
            output = layer.onnx(graph, params, output)
        outputs.append(ACTIVATIONS[network.output_activation].onnx(graph, output))
    if len(outputs) == 1:
        return outputs[0]
    return graph.node("Div", [graph.node("Sum", outputs), graph.constant(float(len(outputs)))])


def _network_input(graph, model, inputs):
    """What the first layer reads: X, or for a tabular model the encoded table."""
    encoder = getattr(model, "_table_encoder", None)
    if encoder is None:
        return graph.float_input(inputs[0])
    if (len(inputs) == 1 and not _is_text(inputs[0])
            and encoder.names == list(range(model.n_features_in_))):
        X = graph.float_input(inputs[0])  # fitted on an array: one input, a column each
        columns = {position: graph.node("Slice", [
            X, graph.constant(np.array([position]), "start"),
            graph.constant(np.array([position + 1]), "stop"),
            graph.constant(np.array([1]), "axis")]) for position in encoder.names}
    else:
        by_name = {variable.raw_name: variable for variable in inputs}
        columns = {name: (by_name[str(name)].full_name if _is_text(by_name[str(name)])
                          else graph.float_input(by_name[str(name)]))
                   for name in encoder.names}
    return encoded_in_onnx(encoder, graph, columns)


def _is_text(variable):
    return isinstance(variable.type, StringTensorType)


def _convert_classifier(scope, operator, container):
    model = operator.raw_operator
    graph = _Graph(scope, container, operator)
    output = _forward(graph, model, operator.inputs)
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
    output = _forward(graph, model, operator.inputs)
    scaling = getattr(model, "_target_scaling", None)
    if scaling is not None:
        output = graph.node("Add", [graph.node("Mul", [output, graph.constant(scaling.scale)]),
                                    graph.constant(scaling.shift)])
        output = graph.node("Min", [graph.node("Max", [output, graph.constant(scaling.low)]),
                                    graph.constant(scaling.high)])
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


def initial_types(model, X):
    """The inputs of a tabular model's graph: one per column of ``X``, for ``to_onnx``.

    Numbers as float tensors of shape (n, 1) in the model's dtype, missing
    ones as NaN; text as string tensors of shape (n, 1), a missing value as
    the empty string. Pass them as ``skl2onnx.to_onnx(model,
    initial_types=skxor.onnx.initial_types(model, X))``, then feed the
    session a dict of columns of shape (n, 1). skl2onnx may rename a column
    whose name is not a plain identifier: the session's ``get_inputs()``
    give the names, in the table's order of columns.

    Parameters
    ----------
    model : TabularMLPClassifier or TabularMLPRegressor
        Fitted, on a DataFrame.
    X : DataFrame
        The columns to describe: the table the model predicts on.
    """
    float_type = _float_type(model)
    types = []
    for name, values in read_columns(X):
        kind = StringTensorType if isinstance(values, TextColumn) else float_type
        types.append((str(name), kind([None, 1])))
    return types


def _float_type(model):
    """skl2onnx's tensor type of a tabular model's float inputs and outputs."""
    return DoubleTensorType if model._parameters.dtype == np.float64 else FloatTensorType


def _tabular_classifier_shapes(operator):
    """The label (text or int64; a column per label for multilabel targets) and the
    probabilities of a model whose inputs are columns."""
    model = operator.raw_operator
    text = to_numpy(model.classes_).dtype.kind in "UO"
    multilabel = model._label_binarizer.y_type_ == "multilabel-indicator"
    operator.outputs[0].type = (StringTensorType if text else Int64TensorType)(
        [None, model.n_outputs_] if multilabel else [None])
    operator.outputs[1].type = _float_type(model)([None, len(model.classes_)])


def _tabular_regressor_shapes(operator):
    model = operator.raw_operator
    operator.outputs[0].type = _float_type(model)([None, model.n_outputs_])


update_registered_converter(
    TabularMLPClassifier, "SkxorTabularMLPClassifier", _tabular_classifier_shapes,
    _convert_classifier, options={"zipmap": [True, False, "columns"], "nocl": [False, True]})
update_registered_converter(
    TabularMLPRegressor, "SkxorTabularMLPRegressor", _tabular_regressor_shapes,
    _convert_regressor)
