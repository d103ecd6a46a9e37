"""skxor: multi-layer perceptrons for scikit-learn, with a from-scratch backpropagation core.

The public names are those of ``__all__``, with the modules ``skxor.onnx``
and ``skxor.seeds``; the folders below (``network``, ``training``, ``data``,
``targets``, ``tables``, ``utils``) are how they are built, and their names may change.
"""

from . import _saved_names
from ._classifier import MLPBackpropClassifier
from ._regressor import MLPBackpropRegressor
from ._tabular import TabularMLPClassifier, TabularMLPRegressor
from .gradcheck import GradientCheckResult, check_gradients
from .utils.parameters import InvalidParameterError

__version__ = "0.1.0"

__all__ = ["GradientCheckResult", "InvalidParameterError", "MLPBackpropClassifier",
           "MLPBackpropRegressor", "TabularMLPClassifier", "TabularMLPRegressor",
           "check_gradients", "__version__"]

_saved_names.register()
