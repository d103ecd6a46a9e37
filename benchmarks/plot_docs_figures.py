"""The user guide's figures, drawn from the figures its pages report.

Each function draws one PNG into ``docs/images/``, from the numbers printed in
the table it sits beside (copied here from that page, with the command that
measured them), or, for the tabular ranks, from the cached results in
``benchmarks/results/tabular/``. The PNGs are committed, so that the docs
build draws nothing.

After a benchmark is rerun and its page's table updated, update the numbers
below to match and regenerate every figure:

Run: python benchmarks/plot_docs_figures.py [--only NAME]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen before pyplot loads)
import numpy as np  # noqa: E402

from skxor.data.sum_tree import partial_sums_sent  # noqa: E402

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
SKXOR, OTHER, THIRD, FOURTH = "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"

TRAINING_RATIOS = {  # docs/guide/performance.md: python benchmarks/bench_vs_sklearn.py
    "XOR, full-batch sgd, h4, per pass": 0.14,
    "20000x100 adam h(100,), float64": 0.57,
    "20000x100 adam h(100,), float32": 0.44,
    "20000x100 adam h(256, 256), float64": 0.70,
    "20000x100 adam h(256, 256), float32": 0.57,
    "digits, sgd b32 h100": 0.40,
    "digits, lbfgs h100": 0.19,
    "predict_proba, 200,000 rows, h100": 0.29,
    "regressor: 20640x8 adam h(100,)": 0.30,
    "regressor: 5000x100 adam h(256, 256)": 0.70,
}
"""Time ratio skxor / scikit-learn, the median of the per-pair ratios."""

SERVING_RATIOS = {  # docs/guide/deploying.md: python benchmarks/bench_serving.py
    "skxor": (0.94, 0.84),
    "MLPClassifier": (3.11, 1.22),
    "PyTorch module": (1.00, 1.00),
    "onnxruntime": (0.52, 0.71),
}
"""Median latency of one call over PyTorch's: (1 row, 1,000 rows)."""

ARRAY_API_RATIOS = {  # docs/guide/array_api.md: python benchmarks/bench_array_api.py --quick
    "XOR full batch h4,\nper epoch": (0.18, 0.87, 0.43),
    "5000x100 h(256, 256)\nfloat64": (0.67, 0.60, 0.82),
    "5000x100 h(256, 256)\nfloat32": (0.53, 0.76, 1.10),
    "5000x100 h(1024,)\nfloat32, per epoch": (0.50, 0.65, 1.26),
    "100,000x100 h(512, 512)\nfloat32, 2 epochs": (0.61, 0.63, 1.20),
}
"""(skxor NumPy / sklearn, skxor torch:cpu / sklearn, skxor torch:cpu / torch loop)."""

DASK_COST_MODEL = {"compute_s": 0.720, "parameters": 3_329, "fixed_s": 0.0050,
                   "per_byte_s": 3.99e-9, "chunks": 20}
"""docs/guide/dask.md: the cost model python benchmarks/bench_dask.py fits to its figures."""

DASK_MEASURED_SPEEDUPS = {3_329: 1.62, 104_003: 1.58}
"""Measured L-BFGS speed-ups from 1 to 2 workers: parameters -> speed-up."""

DASK_COMMUNICATION_MS = {1_000: 3.1, 10_000: 4.2, 100_000: 22.4, 1_000_000: 132.4}
"""One evaluation's communication, 2 workers, 4 chunks: parameters -> milliseconds."""

QUANTILE_COVERAGE = [  # docs/guide/regression.md: python benchmarks/bench_quantile.py
    ("synthetic", "skxor MLP", 0.888, "3.10"),
    ("synthetic", "HistGradientBoosting pair", 0.845, "2.89"),
    ("diabetes", "skxor MLP", 0.888, "178.0"),
    ("diabetes", "HistGradientBoosting pair", 0.737, "128.3"),
]
"""(data, model, held-out coverage of the 90 % interval, mean width as the page prints it)."""

TABULAR_MODELS = ["skxor TabularMLP", "CatBoost", "RealMLP-TD", "LightGBM",
                  "HistGradientBoosting", "MLP defaults"]
"""docs/guide/tabular.md: the six models of python benchmarks/bench_tabular.py --cached."""


def save(figure, name):
    """Write ``figure`` to ``docs/images/NAME.png`` and close it."""
    path = IMAGES / f"{name}.png"
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)
    print(f"wrote {path.relative_to(IMAGES.parent.parent)}")


def reference_line(axes, at, label, vertical=True):
    """A dashed line at ``at`` (1.0 for a ratio), labelled in the legend."""
    draw = axes.axvline if vertical else axes.axhline
    draw(at, color="black", linestyle="--", linewidth=1, label=label)


def legend_below(axes, columns):
    """The legend under the axes' label, where it hides no bar."""
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=columns, fontsize=8,
                frameon=False)


def label_bars(axes, bars, fmt):
    """Print each horizontal bar's value at its end."""
    axes.bar_label(bars, labels=[fmt(bar.get_width()) for bar in bars], padding=3, fontsize=8)


def performance_ratios():
    """Training and prediction time of skxor over scikit-learn's, one bar per configuration."""
    names, ratios = list(TRAINING_RATIOS), list(TRAINING_RATIOS.values())
    figure, axes = plt.subplots(figsize=(8, 4.6))
    positions = np.arange(len(names))[::-1]
    bars = axes.barh(positions, ratios, color=SKXOR)
    label_bars(axes, bars, lambda value: f"{value:.2f}")
    reference_line(axes, 1.0, "scikit-learn's time (ratio 1.0)")
    axes.set_yticks(positions, names)
    axes.set_xlim(0, 1.1)
    axes.set_xlabel("time of skxor / time of scikit-learn (median of A/B pairs; below 1: "
                    "skxor faster)")
    axes.set_title("skxor against MLPClassifier and MLPRegressor, same work")
    axes.legend(loc="lower right", fontsize=8)
    save(figure, "performance_ratios")


def grouped_bars(axes, groups, series, colours, width):
    """Horizontal bars, one group per key of ``groups``, one bar per series within it."""
    positions = np.arange(len(groups))[::-1]
    for index, (label, colour) in enumerate(zip(series, colours, strict=True)):
        values = [groups[group][index] for group in groups]
        offset = (index - (len(series) - 1) / 2) * width
        bars = axes.barh(positions - offset, values, height=width, color=colour, label=label)
        label_bars(axes, bars, lambda value: f"{value:.2f}")
    axes.set_yticks(positions, list(groups))


def serving_ratios():
    """Latency of one predict_proba call over PyTorch's, for 1 and 1,000 rows."""
    by_size = {f"{size} row{'s' if size > 1 else ''}": [SERVING_RATIOS[name][index]
                                                       for name in SERVING_RATIOS]
               for index, size in enumerate((1, 1000))}
    figure, axes = plt.subplots(figsize=(8, 3.6))
    grouped_bars(axes, by_size, list(SERVING_RATIOS), [SKXOR, OTHER, THIRD, FOURTH], 0.2)
    reference_line(axes, 1.0, "PyTorch's latency (ratio 1.0)")
    axes.set_xlim(0, 3.6)
    axes.set_xlabel("median latency of one call / PyTorch's (below 1: faster)")
    axes.set_title("Serving predict_proba, call by call, one thread each")
    legend_below(axes, columns=3)
    save(figure, "serving_ratios")


def array_api_ratios():
    """skxor on NumPy and on torch's CPU against MLPClassifier and a plain PyTorch loop."""
    figure, axes = plt.subplots(figsize=(8, 5.2))
    grouped_bars(axes, ARRAY_API_RATIOS,
                 ["skxor NumPy / MLPClassifier", "skxor torch:cpu / MLPClassifier",
                  "skxor torch:cpu / PyTorch loop"], [SKXOR, THIRD, OTHER], 0.26)
    reference_line(axes, 1.0, "the other's time (ratio 1.0)")
    axes.set_xlim(0, 1.5)
    axes.set_xlabel("time ratio (median of 2 rounds; below 1: skxor faster)")
    axes.set_title("The same fits on NumPy and PyTorch arrays, on a CPU")
    legend_below(axes, columns=2)
    save(figure, "array_api_ratios")


def dask_seconds(parameters, workers):
    """The cost model's seconds per L-BFGS iteration on ``workers`` workers."""
    model = DASK_COST_MODEL
    compute = model["compute_s"] * parameters / model["parameters"]
    moved = 8 * parameters * (workers + partial_sums_sent(model["chunks"], workers))
    return compute / workers + model["fixed_s"] + model["per_byte_s"] * moved


def dask_scaling():
    """Predicted and measured L-BFGS speed-up with workers; communication against size."""
    figure, (speed, talk) = plt.subplots(1, 2, figsize=(10, 4.2))
    workers = np.arange(1, 33)
    speed.plot(workers, workers, color="grey", linestyle=":", label="ideal (speed-up = workers)")
    for parameters, colour in ((3_329, SKXOR), (1_000_000, OTHER)):
        predicted = [dask_seconds(parameters, 1) / dask_seconds(parameters, w) for w in workers]
        speed.plot(workers, predicted, color=colour, label=f"cost model, P = {parameters:,}")
    for (parameters, measured), marker, beside in zip(DASK_MEASURED_SPEEDUPS.items(), "os",
                                                      (0.95, 1.05), strict=True):
        # side by side at 2 workers, so that neither marker hides the other
        speed.scatter([2 * beside], [measured], color="black", marker=marker, zorder=3,
                      label=f"measured, P = {parameters:,}: {measured:.2f}x")
    reference_line(speed, 1.0, "one worker's speed (1.0)", vertical=False)
    speed.set_xscale("log", base=2)
    speed.set_yscale("log", base=2)
    speed.set_xticks([1, 2, 4, 8, 16, 32], ["1", "2", "4", "8", "16", "32"])
    speed.set_yticks([1, 2, 4, 8, 16, 32], ["1", "2", "4", "8", "16", "32"])
    speed.set_xlabel("workers")
    speed.set_ylabel("speed-up of an L-BFGS iteration over 1 worker")
    speed.set_title("L-BFGS, 20 chunks: cost model and measured")
    speed.legend(fontsize=8)
    sizes = list(DASK_COMMUNICATION_MS)
    talk.plot(sizes, list(DASK_COMMUNICATION_MS.values()), marker="o", color=SKXOR)
    for size, milliseconds in DASK_COMMUNICATION_MS.items():
        talk.annotate(f"{milliseconds} ms", (size, milliseconds), textcoords="offset points",
                      xytext=(-10, 8), fontsize=8)
    talk.set_xscale("log")
    talk.set_ylim(0, 170)
    talk.set_xlabel("network parameters P")
    talk.set_ylabel("milliseconds per evaluation")
    talk.set_title("One evaluation's communication, 2 workers")
    figure.tight_layout()
    save(figure, "dask_scaling")


def quantile_coverage():
    """Held-out coverage of the [q05, q95] interval against its nominal 0.90."""
    figure, axes = plt.subplots(figsize=(8, 3.4))
    positions = np.arange(len(QUANTILE_COVERAGE))[::-1]
    colours = [SKXOR if model == "skxor MLP" else OTHER for _, model, _, _ in QUANTILE_COVERAGE]
    axes.barh(positions, [row[2] for row in QUANTILE_COVERAGE], color=colours)
    for position, (*_, coverage, width) in zip(positions, QUANTILE_COVERAGE, strict=True):
        axes.text(0.505, position, f"{coverage:.3f}, mean width {width}", va="center",
                  color="white", fontsize=9, fontweight="bold")
    reference_line(axes, 0.90, "nominal coverage 0.90")
    axes.set_yticks(positions, [f"{data}: {model}" for data, model, _, _ in QUANTILE_COVERAGE])
    axes.set_xlim(0.5, 1.0)
    axes.set_xlabel("share of held-out rows inside the 90 % interval (mean of 5 seeds)")
    axes.set_title("Coverage of the [q05, q95] interval")
    axes.legend(loc="lower right", fontsize=8)
    save(figure, "quantile_coverage")


def tabular_errors():
    """Per-table errors of each model, from the benchmark's cache (1 - accuracy, or RMSE)."""
    import bench_tabular

    scores = bench_tabular.cached_means(TABULAR_MODELS, list(bench_tabular.TABLES), 5, "score")
    return bench_tabular.errors_from_scores(scores.dropna()), bench_tabular.TABLES


def tabular_ranks():
    """Each model's rank on each of the 21 tables, and its mean rank per task."""
    errors, tables = tabular_errors()
    classification = [name for name in errors.index if tables[name].task == "classification"]
    regression = [name for name in errors.index if name not in classification]
    figure, panels = plt.subplots(1, 2, figsize=(12, 6), layout="constrained")
    colours = matplotlib.colors.ListedColormap(plt.cm.RdYlGn_r(np.linspace(0.1, 0.9, 256)))
    for axes, names, task in ((panels[0], classification, "classification"),
                              (panels[1], regression, "regression")):
        ranks = errors.loc[names].rank(axis=1, method="average")
        shown = np.vstack([ranks.to_numpy(), ranks.mean().to_numpy()])
        image = axes.imshow(shown, cmap=colours, vmin=1, vmax=len(TABULAR_MODELS),
                            aspect="auto")
        for (row, column), rank in np.ndenumerate(shown):
            axes.text(column, row, f"{rank:.2f}" if row == len(names) else f"{rank:g}",
                      ha="center", va="center", fontsize=7,
                      fontweight="bold" if row == len(names) else "normal")
        axes.axhline(len(names) - 0.5, color="black", linewidth=1.5)
        axes.set_xticks(range(len(TABULAR_MODELS)), TABULAR_MODELS, rotation=35, ha="right",
                        fontsize=8)
        axes.set_yticks(range(len(names) + 1), names + ["mean rank"], fontsize=8)
        axes.set_title(f"{task} ({len(names)} tables)")
    figure.colorbar(image, ax=panels, label="rank on the table (1 = best)", shrink=0.8)
    figure.suptitle("Ranks of six models with their defaults, 5 splits per table")
    save(figure, "tabular_ranks")


FIGURES = {"performance_ratios": performance_ratios, "serving_ratios": serving_ratios,
           "array_api_ratios": array_api_ratios, "dask_scaling": dask_scaling,
           "quantile_coverage": quantile_coverage, "tabular_ranks": tabular_ranks}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(FIGURES), help="draw this figure only")
    arguments = parser.parse_args(argv)
    for name, draw in FIGURES.items():
        if arguments.only in (None, name):
            draw()


if __name__ == "__main__":
    main()
