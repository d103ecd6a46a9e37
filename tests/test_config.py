"""FitConfig: a fit's parameters, read once, each under its own name, never changed."""

import pytest

from skxor import MLPBackpropClassifier
from skxor.training.config import FitConfig


def config(**params):
    return FitConfig.of(MLPBackpropClassifier(**params).get_params(), incremental=False)


def test_every_parameter_is_read_under_its_name():
    read = config(alpha=0.5, solver="sgd")
    assert (read.alpha, read.solver, read.incremental) == (0.5, "sgd", False)


def test_the_resolved_parameters_are_normalised():
    read = config(hidden_layer_sizes=7, dropout=[0.25], dtype="float32")
    assert read.hidden_sizes == (7,) and read.dropout_rates == (0.25,)
    assert read.dtype == "float32"


def test_a_name_that_is_no_parameter_is_an_attribute_error():
    with pytest.raises(AttributeError, match="FitConfig has no parameter 'alpah'"):
        assert config().alpah is None  # the attribute error comes first


def test_a_config_cannot_be_changed():
    with pytest.raises(AttributeError, match="read once and never changed"):
        config().alpha = 1.0
