"""Peak memory of a fit whose callback keeps a deep copy of every epoch's model.

scikit-learn's callbacks see, at the end of each epoch, a ``fitted_estimator``
that predicts with that epoch's weights. A callback that keeps copies of it
(for model checkpoints, say) should cost one small model per epoch. This
prints the peak traced memory (tracemalloc) after each epoch, and stops
early once it passes ``--limit-mib``.

Run: python benchmarks/snapshot_memory.py [--epochs 30] [--limit-mib 1024]
(scikit-learn >= 1.9)
"""

import argparse
import copy
import tracemalloc
import warnings

from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier


class KeepSnapshots:
    """Keeps a deep copy of the fitted estimator at the end of every task."""

    def __init__(self, limit_bytes):
        self.limit_bytes = limit_bytes
        self.snapshots = []
        self.peaks = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        pass

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None, **kwargs):
        if fitted_estimator is not None:
            self.snapshots.append(copy.deepcopy(fitted_estimator))
        self.peaks.append(tracemalloc.get_traced_memory()[1])
        return self.peaks[-1] > self.limit_bytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--limit-mib", type=float, default=1024)
    args = parser.parse_args()
    X, y = make_classification(n_samples=300, n_features=6, random_state=0)
    keeper = KeepSnapshots(args.limit_mib * 2**20)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=args.epochs, tol=0,
                                random_state=0).set_callbacks(keeper)
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    for epoch, peak in enumerate(keeper.peaks[:clf.n_iter_], start=1):
        print(f"epoch {epoch}: peak {peak / 2**20:.2f} MiB")
    print(f"{clf.n_iter_} epochs, {len(keeper.snapshots)} snapshots kept, "
          f"peak {max(keeper.peaks) / 2**20:.2f} MiB")


if __name__ == "__main__":
    main()
