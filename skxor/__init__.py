"""skxor: a multi-layer perceptron classifier for scikit-learn, backprop in NumPy."""

from ._classifier import MLPBackpropClassifier

__version__ = "0.1.0"

__all__ = ["MLPBackpropClassifier", "__version__"]
