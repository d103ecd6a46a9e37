"""skxor: a multi-layer perceptron classifier for scikit-learn, backprop in NumPy."""

from ._classifier import MLPBackpropClassifier
from ._params import InvalidParameterError
from .gradcheck import GradientCheckResult, check_gradients

__version__ = "0.1.0"

__all__ = ["GradientCheckResult", "InvalidParameterError", "MLPBackpropClassifier",
           "check_gradients", "__version__"]
