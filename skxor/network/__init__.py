"""The network: layers over one flat parameter vector, activations, losses, initialisation.

The core of skxor. It imports only NumPy, array-api-compat and the standard
library, and knows nothing of estimators, solvers or data sources: arrays
and an ``rng`` in, arrays out. ``primitives`` is the one module that tells a
NumPy array from another namespace's.
"""
