"""The same fits through NumPy, PyTorch and CuPy arrays, beside MLPClassifier and a PyTorch loop.

Every row of a configuration does the same work from the same initial
weights: the same epochs of Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8, L2
alpha 1e-4 on the weights) over the same mini-batches sizes, shuffled. The
rows are:

- ``sklearn``: scikit-learn's MLPClassifier on NumPy arrays (the CPU);
- ``skxor numpy``, ``skxor torch:cpu``, ``skxor torch:cuda``, ``skxor cupy``:
  MLPBackpropClassifier fitted on arrays of that namespace and device, under
  ``sklearn.set_config(array_api_dispatch=True)``;
- ``torch loop cpu`` / ``torch loop cuda``: a plain PyTorch training loop
  (``nn.Sequential``, ``torch.optim.Adam``, autograd), reading the epoch's
  loss once per epoch as skxor does.

Rows are timed in rounds, one run of each per round, after one untimed
warm-up run each; the table gives medians, the ratio to MLPClassifier and to
the PyTorch loop on the same device, the achieved GFLOP/s (multiply-adds of
the forward and backward passes) and the device's own matrix-product GFLOP/s
on the very products of an epoch, timed bare.

Run: python benchmarks/bench_array_api.py [--quick] [--rounds N] [--rows N] [--large-rows N]
"""

import argparse
import gc
import os
import platform
import statistics
import time
import warnings
from dataclasses import dataclass

# scikit-learn's array API dispatch needs SciPy's, which is read when SciPy is imported
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.utils import check_random_state  # noqa: E402

import skxor  # noqa: E402
from skxor import MLPBackpropClassifier  # noqa: E402
from skxor.network.initialization import initialize  # noqa: E402
from skxor.network.losses import LogLoss  # noqa: E402
from skxor.network.network import Network  # noqa: E402


@dataclass
class Case:
    """One configuration: data, network and how much work."""

    name: str
    X: np.ndarray
    y: np.ndarray
    hidden: tuple
    batch_size: int
    epochs: int
    per_epoch: bool = False


def cases(quick, rows, large_rows):
    xor_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    found = [Case("XOR full batch h4, per epoch", xor_X, np.array([0, 1, 1, 0]), (4,), 4,
                  200 if quick else 1000, per_epoch=True)]
    X, y = make_classification(n_samples=rows, n_features=100, n_informative=60,
                               n_classes=10, random_state=0)
    for hidden, dtype in [((100,), np.float64), ((256, 256), np.float64),
                          ((256, 256), np.float32)]:
        found.append(Case(f"{rows}x100 adam b200 h{hidden} {np.dtype(dtype).name}",
                          X.astype(dtype), y, hidden, 200, 2 if quick else 5))
    found.append(Case(f"{rows}x100 adam b200 h(1024,) float32, per epoch",
                      X.astype(np.float32), y, (1024,), 200, 2, per_epoch=True))
    X, y = make_classification(n_samples=large_rows, n_features=100, n_informative=60,
                               n_classes=10, random_state=0)
    found.append(Case(f"{large_rows:,}x100 adam b1024 h(512, 512) float32, 2 epochs",
                      X.astype(np.float32), y, (512, 512), 1024, 2))
    return found


def estimator_params(case):
    return dict(hidden_layer_sizes=case.hidden, solver="adam", batch_size=case.batch_size,
                max_iter=case.epochs, tol=0.0, n_iter_no_change=case.epochs, random_state=0)


def starting_weights(case):
    """MLPClassifier's (and skxor's) initial weights for ``case``: a NumPy flat vector."""
    n_outputs = 1 if len(np.unique(case.y)) == 2 else len(np.unique(case.y))
    network = Network.perceptron([case.X.shape[1], *case.hidden, n_outputs], "relu",
                      "logistic" if n_outputs == 1 else "softmax", LogLoss())
    return network, initialize(network, "glorot", "relu", check_random_state(0), case.X.dtype)


class Runner:
    """Fits one row's way; ``run()`` does the timed work once, ``sync()`` waits for it."""

    def __init__(self, label, case, namespace=None, device=None):
        self.label, self.case, self.namespace, self.device = label, case, namespace, device

    def sync(self):
        if self.device == "cuda":
            import torch

            torch.cuda.synchronize()


class SklearnRunner(Runner):
    def run(self):
        return MLPClassifier(**estimator_params(self.case)).fit(self.case.X, self.case.y)


class SkxorRunner(Runner):
    def __init__(self, label, case, namespace, device=None):
        super().__init__(label, case, namespace, device)
        self.X, self.y = to_namespace(case.X, namespace, device), case.y

    def run(self):
        with sklearn.config_context(array_api_dispatch=self.namespace != "numpy"):
            return MLPBackpropClassifier(**estimator_params(self.case)).fit(self.X, self.y)


class TorchLoopRunner(Runner):
    """A plain PyTorch loop doing skxor's work: same weights, Adam, batches and epochs."""

    def __init__(self, label, case, device):
        super().__init__(label, case, "torch", device)
        import torch

        self.torch = torch
        self.X = torch.asarray(case.X, device=device)
        self.y = torch.asarray(case.y, device=device)
        self.network, self.start = starting_weights(case)

    def run(self):
        torch, case = self.torch, self.case
        layers = []
        coefs, intercepts = self.network.dense_parameters(self.network.unpack(self.start))
        for index, (coef, intercept) in enumerate(zip(coefs, intercepts, strict=True)):
            layer = torch.nn.Linear(*coef.shape, dtype=self.X.dtype, device=self.device)
            with torch.no_grad():
                layer.weight.copy_(torch.asarray(coef.T))
                layer.bias.copy_(torch.asarray(intercept))
            layers += [layer] + ([torch.nn.ReLU()] if index < len(coefs) - 1 else [])
        model = torch.nn.Sequential(*layers)
        weights = [layer.weight for layer in layers[::2]]
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999),
                                     eps=1e-8)
        binary = coefs[-1].shape[1] == 1
        n_samples = len(self.X)
        for _ in range(case.epochs):
            order = torch.randperm(n_samples, device=self.device)
            total = torch.zeros((), dtype=self.X.dtype, device=self.device)
            for start in range(0, n_samples, case.batch_size):
                rows = order[start:start + case.batch_size]
                output = model(self.X[rows])
                if binary:
                    loss = torch.nn.functional.binary_cross_entropy_with_logits(
                        output[:, 0], self.y[rows].to(output.dtype))
                else:
                    loss = torch.nn.functional.cross_entropy(output, self.y[rows])
                penalty = sum((weight * weight).sum() for weight in weights)
                loss = loss + 0.5 * 1e-4 * penalty / len(rows)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += loss.detach() * len(rows)
            float(total)  # one read per epoch, as skxor's loss_curve_
        return model


def to_namespace(X, namespace, device):
    if namespace == "numpy":
        return X
    if namespace == "torch":
        import torch

        return torch.asarray(X, device=device)
    import cupy

    return cupy.asarray(X)


def runners(case):
    """Every row this machine can run for ``case``."""
    found = [SklearnRunner("sklearn", case), SkxorRunner("skxor numpy", case, "numpy")]
    try:
        import torch
    except ImportError:
        return found
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for device in devices:
        found += [SkxorRunner(f"skxor torch:{device}", case, "torch", device),
                  TorchLoopRunner(f"torch loop {device}", case, device)]
    try:
        import cupy

        cupy.cuda.runtime.getDeviceCount()
        found.append(SkxorRunner("skxor cupy", case, "cupy", "cuda"))
    except Exception:  # no CuPy, or no GPU for it
        pass
    return found


def flops(case):
    """Multiply-adds (x2) of the forward and backward passes of the timed work."""
    sizes = [case.X.shape[1], *case.hidden, len(np.unique(case.y)) if len(np.unique(case.y))
             > 2 else 1]
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    per_epoch = len(case.X) * (6 * weights - 2 * sizes[0] * sizes[1])
    return per_epoch * (1 if case.per_epoch else case.epochs)


def matmul_gflops(case, runner):
    """The device's GFLOP/s on one epoch's matrix products at their shapes, timed bare."""
    sizes = [case.X.shape[1], *case.hidden, max(len(np.unique(case.y)), 2)]
    rows = min(case.batch_size, len(case.X))
    repeats = -(-len(case.X) // rows)
    rng = np.random.RandomState(0)
    shapes = []
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        shapes += [((rows, fan_in), (fan_in, fan_out)), ((fan_in, rows), (rows, fan_out))]
        if layer > 0:
            shapes.append(((rows, fan_out), (fan_out, fan_in)))
    namespace = runner.namespace or "numpy"
    pairs = [tuple(to_namespace(rng.rand(*shape).astype(case.X.dtype), namespace,
                                runner.device) for shape in pair) for pair in shapes]
    work = repeats * sum(2 * a.shape[0] * a.shape[1] * b.shape[1] for a, b in pairs)

    def run():
        for _ in range(repeats):
            for left, right in pairs:
                left @ right
        runner.sync()

    run()
    start = time.perf_counter()
    run()
    return work / (time.perf_counter() - start) / 1e9


def time_rows(case, rounds):
    found = runners(case)
    times = {runner.label: [] for runner in found}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for runner in found:
            runner.run()
            runner.sync()
        for _ in range(rounds):
            for runner in found:
                gc.collect()
                start = time.perf_counter()
                runner.run()
                runner.sync()
                seconds = time.perf_counter() - start
                times[runner.label].append(seconds / (case.epochs if case.per_epoch else 1))
    return found, {label: statistics.median(values) for label, values in times.items()}


def format_seconds(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def print_case(case, rounds):
    found, medians = time_rows(case, rounds)
    print(f"\n{case.name}\n")
    print("| row | median | / sklearn | / torch loop, same device | GFLOP/s | device matmul "
          "GFLOP/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for runner in found:
        seconds = medians[runner.label]
        loop = f"torch loop {runner.device or 'cpu'}"
        versus_loop = (f"{seconds / medians[loop]:.2f}" if loop in medians
                       and not runner.label.startswith(("torch loop", "sklearn")) else "")
        # four-row XOR is Python and launch overhead, not arithmetic
        arithmetic = len(case.X) > case.X.shape[1] * 10
        achieved = f"{flops(case) / seconds / 1e9:.1f}" if arithmetic else "n/a"
        matmul = f"{matmul_gflops(case, runner):.0f}" if arithmetic else "n/a"
        print(f"| {runner.label} | {format_seconds(seconds)} | "
              f"{seconds / medians['sklearn']:.2f} | {versus_loop} | {achieved} | {matmul} |")


def main(quick, rounds, rows, large_rows):
    print(f"skxor {skxor.__version__}, scikit-learn {sklearn.__version__}, NumPy "
          f"{np.__version__}, Python {platform.python_version()}, {platform.machine()}; "
          f"{_devices()}; {rounds} rounds{' (--quick)' if quick else ''}")
    for case in cases(quick, rows, large_rows):
        print_case(case, rounds)


def _devices():
    try:
        import torch
    except ImportError:
        return "no PyTorch"
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU"
    return f"PyTorch {torch.__version__}, {gpu}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller data and fewer epochs (under 4 minutes on a GPU machine)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="timed runs of each row (default 5, or 2 with --quick)")
    parser.add_argument("--rows", type=int, default=None,
                        help="rows of the 100-feature configurations (default 20000, or "
                             "5000 with --quick)")
    parser.add_argument("--large-rows", type=int, default=1_000_000,
                        help="rows of the large configuration")
    arguments = parser.parse_args()
    main(arguments.quick, arguments.rounds or (2 if arguments.quick else 5),
         arguments.rows or (5000 if arguments.quick else 20_000), arguments.large_rows)
