"""Held-out coverage of a 90 % interval: skxor's quantile MLP beside HistGradientBoosting.

For each seed, the data are split in half (synthetic) or 3:1 (diabetes); on
the training part, one ``MLPBackpropRegressor(loss="quantile",
quantile=[0.05, 0.95])`` and a pair of
``HistGradientBoostingRegressor(loss="quantile")`` (one per level, at its
defaults) are fitted, and the held-out coverage of [q05, q95] and its mean
width are recorded. The table shows the mean over the seeds.

The MLP sees standardised X and y (its predictions are mapped back to y's
units: quantiles move with an increasing affine map). Its L2 penalty
``alpha`` is chosen on the training part alone, by 3-fold cross-validation
of the model's own score (D² pinball), so no held-out row tunes it.

Data:

- synthetic: x ~ U(-3, 3), y = sin(x) + (0.2 + 0.5 |x|) e, e ~ N(0, 1), 4000 rows;
- diabetes: scikit-learn's ``load_diabetes`` (442 rows, 10 features).

Run: python benchmarks/bench_quantile.py [--quick]
"""

import argparse
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropRegressor

LEVELS = (0.05, 0.95)


def heteroscedastic(n_samples=4000, seed=0):
    """``x ~ U(-3, 3)``, ``y = sin(x) + (0.2 + 0.5 |x|) e``."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(-3, 3, size=(n_samples, 1))
    return x, np.sin(x[:, 0]) + (0.2 + 0.5 * np.abs(x[:, 0])) * rng.standard_normal(n_samples)


DATASETS = {
    "synthetic": (heteroscedastic, 0.5,
                  dict(hidden_layer_sizes=(64, 64), learning_rate_init=0.01, max_iter=300)),
    "diabetes": (lambda: load_diabetes(return_X_y=True), 0.25,
                 dict(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=500)),
}
"""Name: (loader, held-out fraction, the MLP's parameters besides alpha)."""

ALPHAS = [0.1, 1.0, 10.0, 30.0]


def interval_of_mlp(X_train, y_train, X_test, params, seed, alphas):
    """The MLP's [q05, q95] on ``X_test``, alpha picked by 3-fold CV on the training part."""
    centre, scale = y_train.mean(), y_train.std()
    model = make_pipeline(StandardScaler(), MLPBackpropRegressor(
        loss="quantile", quantile=list(LEVELS), random_state=seed, **params))
    search = GridSearchCV(model, {"mlpbackpropregressor__alpha": alphas}, cv=3)
    search.fit(X_train, (y_train - centre) / scale)
    predicted = search.predict(X_test) * scale + centre
    return predicted[:, 0], predicted[:, 1], search.best_params_["mlpbackpropregressor__alpha"]


def interval_of_hgb(X_train, y_train, X_test, seed):
    """A pair of HistGradientBoostingRegressor(loss="quantile") at their defaults."""
    return [HistGradientBoostingRegressor(loss="quantile", quantile=level, random_state=seed)
            .fit(X_train, y_train).predict(X_test) for level in LEVELS]


def coverage_and_width(y, low, high):
    return np.mean((y >= low) & (y <= high)), np.mean(high - low)


def measure(name, seeds, alphas):
    """Mean over ``seeds`` of (MLP coverage, MLP width, HGB coverage, HGB width), and alphas."""
    load, test_size, params = DATASETS[name]
    X, y = load()
    rows, chosen = [], []
    for seed in seeds:
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size,
                                                            random_state=seed)
        *mlp, alpha = interval_of_mlp(X_train, y_train, X_test, params, seed, alphas)
        rows.append([*coverage_and_width(y_test, *mlp),
                     *coverage_and_width(y_test, *interval_of_hgb(X_train, y_train, X_test,
                                                                  seed))])
        chosen.append(alpha)
    return np.mean(rows, axis=0), chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one seed and two alphas, to check that the script runs")
    args = parser.parse_args()
    seeds = range(1) if args.quick else range(5)
    alphas = ALPHAS[1:3] if args.quick else ALPHAS
    print(f"90 % interval [q05, q95], held-out, mean of {len(seeds)} seed(s)")
    print(f"{'data':<10} {'model':<28} {'coverage':>9} {'width':>9}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in DATASETS:
            (mlp_cover, mlp_width, hgb_cover, hgb_width), chosen = measure(name, seeds, alphas)
            print(f"{name:<10} {'skxor MLP (quantile)':<28} {mlp_cover:>9.3f} {mlp_width:>9.3f}")
            print(f"{name:<10} {'HistGradientBoosting pair':<28} {hgb_cover:>9.3f} "
                  f"{hgb_width:>9.3f}")
            print(f"{'':<10} alpha chosen per seed: {chosen}")


if __name__ == "__main__":
    main()
