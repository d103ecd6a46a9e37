"""The training toolkit measured: float32 compute, and a scheduled AdamW against plain Adam.

Two tables:

1. ``dtype="float32"`` on float64 data: 20,000 x 100 rows of a 5-class
   ``make_classification`` problem, adam, h(256, 256), a fixed number of
   epochs. The median fit time of skxor in float64 (X's own dtype), of skxor
   with ``dtype="float32"``, and of MLPClassifier on the same float64 data,
   the three fits interleaved in each round, with the accuracy of each on
   5,000 held-out rows.
2. At equal epochs, the held-out log loss of plain Adam against Adam with a
   cosine schedule, a warmup and decoupled weight decay (at the same peak
   rate, and at three times it), on digits and on a wider synthetic problem
   (6,000 x 300, 10 classes), as the mean of 5 seeds. Each seed draws the
   split and the initial weights.

Run: python benchmarks/bench_training.py [--quick]
"""

import argparse
import statistics
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from skxor import MLPBackpropClassifier

FIXED_EPOCHS = dict(tol=0.0, n_iter_no_change=np.inf)
"""Both sides of every comparison train exactly ``max_iter`` epochs."""

SCHEDULED = dict(lr_schedule="cosine", warmup=5, weight_decay=0.01)
"""The scheduled AdamW: a warmup of 5 epochs, and torch.optim.AdamW's default decay."""


def timed_fit(model, X, y):
    """Seconds ``model.fit(X, y)`` took."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return time.perf_counter() - start


def dtype_table(epochs, rounds):
    """Median fit times and held-out accuracies of float64, float32 and MLPClassifier."""
    X, y = make_classification(n_samples=25_000, n_features=100, n_informative=40,
                               n_classes=5, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=5_000,
                                                        random_state=0)
    params = dict(hidden_layer_sizes=(256, 256), max_iter=epochs, random_state=0)
    makers = {
        "skxor, float64 (X's dtype)": lambda: MLPBackpropClassifier(**params, **FIXED_EPOCHS),
        'skxor, dtype="float32"': lambda: MLPBackpropClassifier(**params, **FIXED_EPOCHS,
                                                                 dtype="float32"),
        "MLPClassifier, float64": lambda: MLPClassifier(**params, tol=0.0,
                                                         n_iter_no_change=epochs + 1),
    }
    times = {name: [] for name in makers}
    accuracy = {}
    for _ in range(rounds):
        for name, make in makers.items():
            model = make()
            times[name].append(timed_fit(model, X_train, y_train))
            accuracy[name] = model.score(X_test, y_test)
    medians = {name: statistics.median(seconds) for name, seconds in times.items()}
    reference, sklearn_time = medians["skxor, float64 (X's dtype)"], medians[
        "MLPClassifier, float64"]
    print(f"### dtype, 20,000 x 100 float64, adam, h(256, 256), {epochs} epochs, "
          f"median of {rounds}")
    print("| fit | s | vs skxor float64 | vs MLPClassifier | held-out accuracy |")
    print("|---|---|---|---|---|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds:.2f} | {seconds / reference:.2f}x | "
              f"{seconds / sklearn_time:.2f}x | {accuracy[name]:.4f} |")


def problems():
    """``(name, X, y)`` of the schedule comparison."""
    X_digits, y_digits = load_digits(return_X_y=True)
    yield "digits (1,797 x 64)", X_digits / 16, y_digits
    X_wide, y_wide = make_classification(n_samples=6_000, n_features=300, n_informative=60,
                                         n_classes=10, random_state=0)
    yield "synthetic (6,000 x 300, 10 classes)", X_wide, y_wide


def held_out_log_loss(params, X, y, seed):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                        random_state=seed)
    model = MLPBackpropClassifier(**params, random_state=seed, **FIXED_EPOCHS)
    timed_fit(model, X_train, y_train)
    return log_loss(y_test, model.predict_proba(X_test), labels=model.classes_)


def schedule_table(epochs, seeds):
    """Held-out log loss of plain Adam and of the scheduled AdamW, mean of ``seeds``.

    The scheduled fit runs at plain Adam's ``learning_rate_init`` and, since
    a cosine's mean rate is half its peak, at three times that too.
    """
    fits = {"plain Adam, lr 1e-3": {},
            "scheduled, peak lr 1e-3": SCHEDULED,
            "scheduled, peak lr 3e-3": {**SCHEDULED, "learning_rate_init": 3e-3}}
    print(f"### Plain Adam against Adam with a cosine schedule, a warmup of 5 epochs and "
          f"weight_decay 0.01; {epochs} epochs, h(100,); held-out log loss, mean (sd) "
          f"of {len(seeds)} seeds, and the difference from plain Adam")
    print("| problem | " + " | ".join(fits) + " |")
    print("|---|" + "---|" * len(fits))
    for name, X, y in problems():
        losses = [[held_out_log_loss(dict(max_iter=epochs, **extra), X, y, seed)
                   for seed in seeds] for extra in fits.values()]
        plain = statistics.mean(losses[0])
        cells = [f"{plain:.4f} ({statistics.stdev(losses[0]):.4f})"] + [
            f"{statistics.mean(fit):.4f} ({statistics.stdev(fit):.4f}), "
            f"{statistics.mean(fit) - plain:+.4f}" for fit in losses[1:]]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer epochs and rounds: the tables' shape, not their figures")
    parser.add_argument("--only", choices=["dtype", "schedules"])
    args = parser.parse_args()
    if args.only != "schedules":
        dtype_table(epochs=2 if args.quick else 10, rounds=1 if args.quick else 3)
    if args.only != "dtype":
        schedule_table(epochs=10 if args.quick else 60, seeds=range(2 if args.quick else 5))


if __name__ == "__main__":
    main()
