"""One fit's parameters, read once from the estimator: ``FitConfig``.

``FitConfig.of(estimator, incremental)`` is made at the start of ``fit`` and
``partial_fit``, once the parameters are validated. The solvers and the rooms
below them read it, never ``estimator.<param>``: a parameter that
``set_params`` changes mid-fit (from a callback) changes nothing until the
next fit, later random starts included. The faces' own parameters (``loss``,
``class_weight``, ``scoring``, ``huber_threshold``) are read by the faces'
hooks while the problem is built, before any training.
"""

import dataclasses
from dataclasses import dataclass

import numpy as np

from ._activations import per_hidden_layer


@dataclass(frozen=True)
class FitConfig:
    """The constructor parameters that training uses, resolved for one fit.

    Each field is the parameter of that name, as given, except:
    ``hidden_sizes``, the tuple of hidden layer widths (``hidden_layer_sizes``
    as one int or a sequence); ``dropout_rates``, one float per hidden layer;
    ``dtype``, the compute dtype's name (``"float32"``, ``"float64"``) or None;
    and ``incremental``, whether the fit is a ``partial_fit``.
    """

    solver: str
    hidden_sizes: tuple
    activation: object
    weight_init: str
    dropout: object
    dropout_rates: tuple
    alpha: float
    batch_size: object
    learning_rate: str
    learning_rate_init: float
    power_t: float
    momentum: float
    nesterovs_momentum: bool
    beta_1: float
    beta_2: float
    epsilon: float
    tol: float
    max_iter: int
    max_fun: int
    shuffle: bool
    n_iter_no_change: float
    verbose: bool
    early_stopping: bool
    validation_fraction: float
    n_init: int
    warm_start: bool
    random_state: object
    lr_schedule: object
    warmup: int
    weight_decay: float
    max_grad_norm: float | None
    dtype: str | None
    incremental: bool

    @classmethod
    def of(cls, estimator, incremental):
        """The configuration of a fit of ``estimator`` (validated parameters)."""
        params = estimator.get_params(deep=False)
        sizes = params["hidden_layer_sizes"]
        hidden_sizes = (sizes,) if np.ndim(sizes) == 0 else tuple(sizes)
        rates = tuple(float(rate) for rate in per_hidden_layer(params["dropout"],
                                                               len(hidden_sizes)))
        given = ({field.name for field in dataclasses.fields(cls)} & params.keys()) - {"dtype"}
        dtype = None if params["dtype"] is None else np.dtype(params["dtype"]).name
        return cls(**{name: params[name] for name in given}, hidden_sizes=hidden_sizes,
                   dropout_rates=rates, dtype=dtype, incremental=incremental)

    @property
    def trained_activation(self):
        """``activation`` as the fitted estimator keeps it: a name, or a list of names."""
        return self.activation if isinstance(self.activation, str) else list(self.activation)
