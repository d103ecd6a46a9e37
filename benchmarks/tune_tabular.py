"""Variants of skxor's tabular estimators: the ablation behind each default.

Each variant is the defaults of ``TabularMLPClassifier`` / ``TabularMLPRegressor``
with some parameters changed (a parameter that one of the two estimators does not
have is left to the other). Every variant is ranked against the same anchors
(HistGradientBoosting, LightGBM and RealMLP-TD), never against the other variants,
with bench_tabular.py's protocol and cache; each line says what the change does to
the mean rank, to the error over each table's best and to the CPU time per fit.

Run::

    python benchmarks/tune_tabular.py [--variants "defaults,no numeric embedding"]
        [--jobs 2] [--cached]

``--list`` prints the variants and their parameters.
"""

import argparse
import time

import bench_tabular
import numpy as np
from bench_tabular import (
    CLASSIFICATION,
    TABLES,
    errors_from_scores,
    fit_seconds,
    markdown,
    pending_fits,
    run_fits,
    summary_frame,
)

ANCHORS = ["HistGradientBoosting", "LightGBM", "RealMLP-TD"]

VARIANTS = {
    "defaults": {},
    # what each ingredient adds: the defaults with it turned off
    "one network, not 4": {"n_networks": 1},
    "no numeric embedding": {"numeric_embedding": False},
    "no feature scale": {"feature_scale": False},
    "no categorical embedding (all one-hot)": {"max_one_hot_levels": 10_000},
    "no label smoothing": {"label_smoothing": 0.0},
    "no target standardisation": {"standardize_target": False},
    "no prediction clipping": {"clip_predictions": False},
    "no dropout": {"dropout": 0.0},
    "no weight decay": {"weight_decay": 0.0},
    "no gradient clipping": {"max_grad_norm": None},
    "no schedule or warmup": {"lr_schedule": None, "warmup": 0},
    "no early stopping": {"early_stopping": False},
    "beta_2 0.999": {"beta_2": 0.999},
    "he initialisation": {"weight_init": "he"},
    "float64": {"dtype": None},
    # the choices beside the defaults
    "2 networks": {"n_networks": 2},
    "2 x 256 per network": {"hidden_layer_sizes": (256, 256)},
    "one-hot up to 64 levels": {"max_one_hot_levels": 64},
    "stop on accuracy or R2": {"scoring": None},
}
"""Each variant's name to the parameters it changes from the defaults."""


def factory(params):
    """A bench_tabular model factory: the tabular estimator of the task with ``params``."""
    def make(task, seed):
        from skxor import TabularMLPClassifier, TabularMLPRegressor

        estimator = TabularMLPClassifier if task == CLASSIFICATION else TabularMLPRegressor
        accepted = {name: value for name, value in params.items()
                    if name in estimator().get_params()}
        return estimator(random_state=seed, **accepted)

    return make


def model_name(variant):
    return f"skxor TabularMLP, {variant}"


def ranked_against_the_anchors(variant, tables, n_splits):
    """One summary row: the variant's ranks and error ratios among itself and the anchors."""
    models = [model_name(variant), *ANCHORS]
    scores = bench_tabular.cached_means(models, tables, n_splits, "score").dropna()
    seconds = {model: fit_seconds(model, list(scores.index), n_splits) for model in models}
    return summary_frame(errors_from_scores(scores), seconds).loc[model_name(variant)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", help="comma-separated variant names (default: all)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cached", action="store_true", help="fit nothing, report the cache")
    parser.add_argument("--list", action="store_true", help="print the variants")
    arguments = parser.parse_args()
    variants = bench_tabular.chosen(arguments.variants, VARIANTS, "variants")
    if arguments.list:
        for variant in variants:
            print(f"{variant}: {VARIANTS[variant] or 'the defaults'}")
        return
    for variant in variants:
        bench_tabular.register(model_name(variant), factory(VARIANTS[variant]))
    tables, n_splits = list(TABLES), 5
    if not arguments.cached:
        fits = pending_fits([model_name(variant) for variant in variants], tables, n_splits,
                            refit=False)
        print(f"{len(fits)} fits to run", flush=True)
        started = time.perf_counter()
        run_fits(fits, arguments.jobs)
        print(f"fits done in {time.perf_counter() - started:.0f} s wall clock", flush=True)
    rows = {variant: ranked_against_the_anchors(variant, tables, n_splits)
            for variant in variants}
    frame = bench_tabular.pd.DataFrame(rows).T
    frame.index.name = "variant (ranked against HGB, LightGBM, RealMLP-TD)"
    print(markdown(frame.astype(float).round(3), digits=3))
    print(f"\n{len(tables)} tables, {n_splits} splits; mean rank 1 = best of 4."
          f" {int(np.sum([TABLES[t].task == CLASSIFICATION for t in tables]))} classification"
          " tables.")


if __name__ == "__main__":
    main()
