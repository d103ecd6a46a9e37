"""Prediction latency for serving: one row and 1,000 rows, call by call.

The same fitted network (20 features, hidden (100,), 3 classes, float64)
answers ``predict_proba`` through skxor, scikit-learn's MLPClassifier (same
weights, assigned), and where they are installed, a ``torch.nn.Sequential``
with those weights called under ``torch.inference_mode()`` on one thread,
and onnxruntime (one thread) on the graph ``skxor.onnx`` exports.
The calls alternate between them, round by round, so a slow spell of the
machine touches all alike; the table gives the median and the 99th
percentile of single calls, and each median over PyTorch's.

Run: python benchmarks/bench_serving.py [--calls N]
"""

import argparse
import platform
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import skxor
from skxor import MLPBackpropClassifier


def fitted_models():
    """skxor's model, and MLPClassifier holding the same weights."""
    X, y = make_classification(n_samples=500, n_features=20, n_informative=10, n_classes=3,
                               random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPBackpropClassifier(hidden_layer_sizes=(100,), max_iter=20,
                                     random_state=0).fit(X, y)
        theirs = MLPClassifier(hidden_layer_sizes=(100,), max_iter=1, random_state=0).fit(X, y)
    theirs.coefs_ = [coef.copy() for coef in ours.coefs_]
    theirs.intercepts_ = [intercept.copy() for intercept in ours.intercepts_]
    return X, ours, theirs


def torch_model(ours):
    """A ``predict_proba`` of the same network in PyTorch, or None without PyTorch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    layers = []
    for index, (coef, intercept) in enumerate(zip(ours.coefs_, ours.intercepts_,
                                                  strict=True)):
        layer = torch.nn.Linear(*coef.shape, dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(coef.T.copy()))
            layer.bias.copy_(torch.from_numpy(intercept))
        layers += [layer, torch.nn.ReLU() if index < len(ours.coefs_) - 1
                   else torch.nn.Softmax(dim=1)]
    module = torch.nn.Sequential(*layers)

    def predict_proba(rows):
        with torch.inference_mode():
            return module(torch.from_numpy(rows)).numpy()

    return predict_proba


def onnx_model(ours, X):
    """``predict_proba`` through onnxruntime on skxor's exported graph, or None."""
    try:
        import onnxruntime
        import skl2onnx

        import skxor.onnx  # noqa: F401  (registers the converters)
    except ImportError:
        return None
    graph = skl2onnx.to_onnx(ours, X[:1], options={"zipmap": False})
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(graph.SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])

    def predict_proba(rows):
        return session.run(["probabilities"], {"X": rows})[0]

    return predict_proba


def latencies(predictors, rows, calls):
    """Seconds of each single call, per predictor, the predictors alternating call by call."""
    found = {name: np.empty(calls) for name in predictors}
    for call in range(calls):
        for name, predict in predictors.items():
            start = time.perf_counter()
            predict(rows)
            found[name][call] = time.perf_counter() - start
    return found


def main(calls):
    X, ours, theirs = fitted_models()
    predictors = {"skxor": ours.predict_proba, "MLPClassifier": theirs.predict_proba}
    in_torch = torch_model(ours)
    if in_torch is not None:
        predictors["PyTorch module"] = in_torch
    in_onnx = onnx_model(ours, X)
    if in_onnx is not None:
        predictors["onnxruntime"] = in_onnx
    for rows in (X[:1].copy(), np.tile(X, (2, 1))[:1000].copy()):
        outputs = [predict(rows) for predict in predictors.values()]
        for output in outputs[1:]:
            np.testing.assert_allclose(output, outputs[0], rtol=1e-10, atol=1e-12)
    print(f"skxor {skxor.__version__}, scikit-learn {sklearn.__version__}, NumPy "
          f"{np.__version__}, Python {platform.python_version()}, {platform.machine()}; "
          f"{calls} calls each, alternating\n")
    print("| rows | predictor | median | p99 | median / PyTorch's |")
    print("|---:|---|---:|---:|---:|")
    for rows in (X[:1].copy(), np.tile(X, (2, 1))[:1000].copy()):
        found = latencies(predictors, rows, calls)
        reference = np.median(found.get("PyTorch module", found["skxor"]))
        for name, seconds in found.items():
            print(f"| {len(rows)} | {name} | {np.median(seconds) * 1e6:.1f} µs | "
                  f"{np.percentile(seconds, 99) * 1e6:.1f} µs | "
                  f"{np.median(seconds) / reference:.2f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000, help="calls per predictor and size")
    main(parser.parse_args().calls)
