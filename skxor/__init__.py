"""skxor: multi-layer perceptrons for scikit-learn, with a from-scratch backpropagation core."""

from ._classifier import MLPBackpropClassifier
from ._params import InvalidParameterError
from ._regressor import MLPBackpropRegressor
from .gradcheck import GradientCheckResult, check_gradients

__version__ = "0.1.0"

__all__ = ["GradientCheckResult", "InvalidParameterError", "MLPBackpropClassifier",
           "MLPBackpropRegressor", "check_gradients", "__version__"]
