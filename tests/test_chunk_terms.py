"""A chunk's loss-and-gradient term, as a worker computes it for L-BFGS and data-parallel steps."""

import numpy as np
import pytest

from skxor.data.chunk import TERM_BLOCK_ROWS, Chunk, weighted_loss_gradient
from skxor.network.losses import LogLoss
from skxor.network.network import Network


def _chunk_and_network(n_rows, sample_weight=None, dtype=np.float64):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_rows, 5)).astype(dtype)
    target = (X[:, :1] > 0).astype(dtype)
    network = Network.perceptron([5, 7, 1], "relu", "logistic", LogLoss())
    params = (rng.standard_normal(network.size) * 0.3).astype(dtype)
    return Chunk(X, target, sample_weight, target[:, 0]), network, params


def _whole(chunk, network, params):
    grad = np.empty_like(params)
    loss = network.loss_gradient(params, chunk.data, 0.0, grad)
    return grad, loss


def test_a_chunk_of_many_blocks_weighs_its_mean_loss_and_gradient_by_its_rows():
    chunk, network, params = _chunk_and_network(2 * TERM_BLOCK_ROWS + 37)
    gradient, loss, weight = weighted_loss_gradient(chunk, network, params)
    whole_gradient, whole_loss = _whole(chunk, network, params)
    assert weight == chunk.X.shape[0]
    np.testing.assert_allclose(gradient, whole_gradient * weight, rtol=1e-12, atol=1e-12)
    assert loss == pytest.approx(whole_loss * weight, rel=1e-12)


def test_a_block_whose_rows_all_weigh_nothing_adds_nothing():
    n_rows = 3 * TERM_BLOCK_ROWS
    sample_weight = np.random.default_rng(1).uniform(0.5, 2.0, n_rows)
    sample_weight[TERM_BLOCK_ROWS:2 * TERM_BLOCK_ROWS] = 0.0
    chunk, network, params = _chunk_and_network(n_rows, sample_weight)
    gradient, loss, weight = weighted_loss_gradient(chunk, network, params)
    whole_gradient, whole_loss = _whole(chunk, network, params)
    assert weight == pytest.approx(sample_weight.sum(), rel=1e-12)
    np.testing.assert_allclose(gradient, whole_gradient * weight, rtol=1e-12, atol=1e-12)
    assert loss == pytest.approx(whole_loss * weight, rel=1e-12)


def test_a_chunk_that_weighs_nothing_adds_zeros():
    n_rows = TERM_BLOCK_ROWS + 1
    chunk, network, params = _chunk_and_network(n_rows, np.zeros(n_rows))
    gradient, loss, weight = weighted_loss_gradient(chunk, network, params)
    assert (gradient == 0).all() and gradient.dtype == np.float64
    assert loss == 0.0 and weight == 0.0


def test_a_float32_chunk_sums_its_blocks_in_float64():
    chunk, network, params = _chunk_and_network(2 * TERM_BLOCK_ROWS + 37, dtype=np.float32)
    gradient, loss, weight = weighted_loss_gradient(chunk, network, params)
    whole_gradient, whole_loss = _whole(chunk, network, params)
    assert gradient.dtype == np.float64
    np.testing.assert_allclose(gradient, whole_gradient * weight, rtol=1e-4, atol=1e-3)
    assert loss == pytest.approx(whole_loss * weight, rel=1e-5)
