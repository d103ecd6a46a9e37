"""One fit's parameters, read once from the estimator: ``FitConfig``.

``FitConfig.of(params, incremental)`` is made at the start of ``fit`` and
``partial_fit``, once the parameters are validated, from
``get_params(deep=False)``. Training reads it, never the estimator: a
parameter that ``set_params`` changes mid-fit (from a callback) changes
nothing until the next fit, later random starts included.
"""

import numpy as np

from ..network.activations import per_hidden_layer


class FitConfig:
    """The constructor parameters of one fit, each under its own name, read-only.

    ``config.alpha`` is the ``alpha`` parameter as given, and so for every
    parameter, those a registered solver, update rule or loss declares
    included (``config.rho``). A few are resolved: ``hidden_sizes``, the
    tuple of hidden layer widths (``hidden_layer_sizes`` as one int or a
    sequence); ``dropout_rates``, one float per hidden layer; ``dtype``, the
    compute dtype's name (``"float32"``, ``"float64"``) or None; and
    ``incremental``, whether the fit is a ``partial_fit``.
    """

    def __init__(self, values):
        object.__setattr__(self, "_values", dict(values))

    @classmethod
    def of(cls, params, incremental):
        """The configuration of a fit with the validated parameters ``params``."""
        sizes = params["hidden_layer_sizes"]
        hidden_sizes = (sizes,) if np.ndim(sizes) == 0 else tuple(sizes)
        rates = tuple(float(rate) for rate in per_hidden_layer(params["dropout"],
                                                               len(hidden_sizes)))
        dtype = None if params["dtype"] is None else np.dtype(params["dtype"]).name
        return cls({**params, "hidden_sizes": hidden_sizes, "dropout_rates": rates,
                    "dtype": dtype, "incremental": incremental})

    def __getattr__(self, name):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"FitConfig has no parameter {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError("A FitConfig is read once and never changed.")

    @property
    def trained_activation(self):
        """``activation`` as the fitted estimator keeps it: a name, or a list of names."""
        return self.activation if isinstance(self.activation, str) else list(self.activation)
