"""Where one training step of MLPBackpropClassifier spends its time.

Times each part of one mini-batch step (gathering the shuffled rows, the
forward pass, the loss, the output delta, the backward pass, the L2 term,
the optimiser's update) on the benchmark's configurations, and, beside them,
the matrix products alone at the same shapes: the floor that pure NumPy
cannot go under. Last, what one element-wise pass over the (256, 256)
network's parameters costs per element, for the kinds Adam makes. Each
figure is the median of several timeit repeats.

``--watch-gemm SECONDS`` instead prints, every two seconds, the median
time of one 200x256x256 float64 matrix product: on a shared machine it
shows whether the speed holds still long enough to benchmark.

Run: python benchmarks/profile_parts.py [--watch-gemm SECONDS]
"""

import argparse
import statistics
import time
import timeit

import numpy as np
from sklearn.datasets import make_classification

from skxor.network.losses import LogLoss
from skxor.network.network import Network
from skxor.network.primitives import NUMPY
from skxor.training.update_rules import SGD, Adam


def median_microseconds(function, number):
    """Median over 7 repeats of the time of one call, in µs."""
    runs = timeit.repeat(function, number=number, repeat=7)
    return statistics.median(runs) / number * 1e6


def step_parts(network, optimizer, X, target, batch_rows, number):
    """The parts of one step on ``batch_rows`` rows of ``X``: name -> µs."""
    rng = np.random.RandomState(0)
    params = rng.normal(scale=0.1, size=network.size).astype(X.dtype)
    grad = np.empty_like(params)
    order = rng.permutation(len(X))[:batch_rows]
    X_batch = np.take(X, order, axis=0)
    target_batch = np.take(target, order, axis=0)
    layer_params, grads = network.unpack(params), network.unpack(grad)
    buffers = network._batch_buffers(batch_rows, params)
    loss = network.loss
    proba = network._run(layer_params, X_batch, buffers.spaces, None)

    def forward():
        network._run(layer_params, X_batch, buffers.spaces, None)

    def backward():
        network._backward(layer_params, grads, buffers.output_delta, buffers.spaces)

    coefs, _ = network.dense_parameters(layer_params)
    grad_coefs, _ = network.dense_parameters(grads)
    dense = [space for layer, space in zip(network.layers, buffers.spaces, strict=True)
             if hasattr(layer, "fan_in")]
    deltas = [space.input_gradient for space in dense[1:]] + [buffers.output_delta]

    def gemm_only():
        layer_input = X_batch
        for coef, grad_coef, space, delta in zip(coefs, grad_coefs, dense, deltas,
                                                 strict=True):
            layer_input.dot(coef, space.output)
            layer_input.T.dot(delta, grad_coef)
            layer_input = space.output
        for coef, delta, below in zip(coefs[1:], deltas[1:], deltas[:-1], strict=True):
            delta.dot(coef.T, below)

    parts = {
        "gather batch rows": lambda: (NUMPY.take_rows(X, order, X_batch),
                                      NUMPY.take_rows(target, order, target_batch)),
        "forward": forward,
        "loss value": lambda: loss.value(proba, target_batch, None,
                                         network.output_activation),
        "output delta": lambda: loss.output_delta(proba, target_batch, None,
                                                  network.output_activation,
                                                  out=buffers.output_delta),
        "backward": backward,
        "L2 term": lambda: network._add_l2_penalty(params, grad, 1e-4 / batch_rows,
                                                   buffers.weight_scratch, NUMPY),
        "optimizer update": lambda: optimizer.update(params, grad),
        "whole loss_gradient": lambda: network.loss_gradient(
            params, (X_batch, target_batch, None), 1e-4, grad),
        "matrix products alone": gemm_only,
    }
    return {name: median_microseconds(part, number) for name, part in parts.items()}


def configurations():
    """(title, network, optimizer, X, target, batch rows, calls per timing)."""
    xor_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    xor_target = np.array([[0], [1], [1], [0]], dtype=float)
    xor = Network.perceptron((2, 4, 1), "relu", "logistic", LogLoss())
    yield ("XOR h4, sgd, 4 rows", xor, SGD(np.zeros(xor.size), 0.1), xor_X, xor_target, 4, 20000)
    X, y = make_classification(n_samples=20000, n_features=100, n_informative=60,
                               n_classes=10, random_state=0)
    target = np.eye(10)[y]
    for hidden in [(100,), (256, 256)]:
        for dtype in (np.float64, np.float32):
            network = Network.perceptron((100, *hidden, 10), "relu", "softmax", LogLoss())
            yield (f"20000x100 adam h{hidden} {np.dtype(dtype).name}, batch 200",
                   network, Adam(np.zeros(network.size, dtype), 1e-3), X.astype(dtype),
                   target.astype(dtype), 200, 200)


def elementwise_costs(size, dtype):
    """ns per element of the element-wise passes Adam makes over ``size`` parameters."""
    rng = np.random.RandomState(0)
    values, other = rng.rand(2, size).astype(dtype) + 0.5
    out = np.empty_like(values)
    passes = {"multiply": lambda: np.multiply(values, other, out=out),
              "divide": lambda: np.divide(values, other, out=out),
              "square root": lambda: np.sqrt(values, out=out)}
    return {name: median_microseconds(run, 200) * 1e3 / size for name, run in passes.items()}


def main():
    for title, network, optimizer, X, target, batch_rows, number in configurations():
        parts = step_parts(network, optimizer, X, target, batch_rows, number)
        step = parts["gather batch rows"] + parts["whole loss_gradient"] + parts[
            "optimizer update"]
        print(f"\n{title}: one step ~ {step:.1f} µs "
              f"(gather + loss_gradient + update)")
        for name, microseconds in parts.items():
            print(f"  {name:24s} {microseconds:9.2f} µs  {microseconds / step:6.1%}")
    size = Network.perceptron((100, 256, 256, 10), "relu", "softmax", LogLoss()).size
    for dtype in (np.float64, np.float32):
        costs = elementwise_costs(size, dtype)
        print(f"\nOne pass over {size:,} {np.dtype(dtype).name} parameters, ns per element: "
              + ", ".join(f"{name} {ns:.2f}" for name, ns in costs.items()))


def watch_gemm(seconds):
    """Print the median time of a 200x256x256 float64 product every two seconds."""
    rng = np.random.RandomState(0)
    left, right = rng.rand(200, 256), rng.rand(256, 256)
    out = np.empty((200, 256))
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        times, start = [], time.perf_counter()
        while time.perf_counter() - start < 2:
            tick = time.perf_counter()
            left.dot(right, out)
            times.append(time.perf_counter() - tick)
        print(f"{statistics.median(times) * 1e6:.0f} µs", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watch-gemm", type=float, metavar="SECONDS",
                        help="watch one matrix product's speed instead of profiling")
    arguments = parser.parse_args()
    if arguments.watch_gemm:
        watch_gemm(arguments.watch_gemm)
    else:
        main()
