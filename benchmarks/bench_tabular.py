"""Default-hyperparameter models on 21 real tables: accuracy, RMSE, ranks and CPU time.

What it measures: how well each model does, with its default hyperparameters and no tuning,
on real tabular data of the kinds met in practice (credit scoring, customer purchases,
surveys, house and company prices, health records): 10 classification and 11 regression
tables of 1,000 to 8,000 rows, with numeric and categorical columns and missing values. The
tables and their cleaning are listed in ``tabular_tables.py``; all ship inside PyPI packages.
Its purpose is to choose the defaults of tabular MLP estimators and to compare them with
strong anchors.

Protocol:

* 5 random 75/25 train/test splits per table (split seeds 0-4, stratified for
  classification); the same split indices for every model. The split seed is also the
  model's random seed.
* Every model gets the raw pandas frame X (numeric, ``category`` columns, NaN) and the
  target y; any preprocessing is part of the model (a Pipeline).
* One thread per fit: thread variables set before NumPy loads, ``threadpool_limits(1)``
  around each fit, ``n_jobs=1`` / ``thread_count=1`` for the boosters and one torch thread.
* Scores: accuracy for classification (ROC-AUC for binary tables and log-loss are kept as
  extra columns), RMSE for regression; the table score is the mean over the splits.
* Per table the models are ranked (1 = best, ties share the average rank). The summary gives,
  for classification, regression and all tables: the mean rank; the geometric mean over
  tables of the model's error over the best model's error (error = 1 - accuracy, or RMSE);
  and the median CPU seconds (``time.process_time``) per fit.

Results are cached, one JSON file per model in ``benchmarks/results/tabular/<model>.json``,
keyed ``"<table>/<split>"``; a run fits only what is missing (``--refit`` redoes it) and then
prints, from the cache, the per-table scores and the summary as markdown.

Run::

    python benchmarks/bench_tabular.py [--models "HistGradientBoosting,LightGBM"]
        [--tables "wage,german_credit"] [--splits 5] [--jobs 1] [--refit] [--cached]
        [--also auc,logloss,fit_seconds]
    python benchmarks/bench_tabular.py --describe   # the tables: rows, columns, NaN

A model is a factory ``make(task, seed)`` returning an unfitted estimator, ``task`` being
"classification" or "regression". Another script (in this folder, or with it on sys.path)
adds one before running the benchmark::

    import bench_tabular
    bench_tabular.register("MyMLP", lambda task, seed: MyMLP(random_state=seed))
    bench_tabular.main()   # then: python my_script.py --models "MyMLP,LightGBM"

The benchmark-only dependencies are in ``benchmarks/requirements-tabular.txt``.
"""

# ruff: noqa: E402  (the thread variables must be set before NumPy and the rest load)
import os

for _thread_variable in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                         "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"]:
    os.environ[_thread_variable] = "1"

import argparse
import json
import multiprocessing
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score, root_mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from tabular_tables import TABLES, load_table
from threadpoolctl import threadpool_limits

CLASSIFICATION = "classification"
TEST_SIZE = 0.25
RESULTS_DIR = Path(__file__).resolve().parent / "results" / "tabular"
CATBOOST_MISSING_LEVEL = "__missing__"

Factory = Callable[[str, int], BaseEstimator]


def make_hist_gradient_boosting(task: str, seed: int) -> BaseEstimator:
    """scikit-learn's HistGradientBoosting, categorical columns native (``from_dtype``)."""
    estimator = (HistGradientBoostingClassifier if task == CLASSIFICATION
                 else HistGradientBoostingRegressor)
    return estimator(categorical_features="from_dtype", random_state=seed)


def make_lightgbm(task: str, seed: int) -> BaseEstimator:
    """LightGBM defaults, one thread; it takes ``category`` columns natively."""
    from lightgbm import LGBMClassifier, LGBMRegressor

    estimator = LGBMClassifier if task == CLASSIFICATION else LGBMRegressor
    return estimator(n_jobs=1, verbose=-1, random_state=seed)


class CatBoostOnFrame(BaseEstimator):
    """CatBoost defaults, one thread, told which columns are categorical.

    CatBoost refuses NaN in a categorical column, so there NaN becomes a level of its own.
    """

    def __init__(self, task: str = CLASSIFICATION, seed: int = 0):
        self.task = task
        self.seed = seed

    def _with_missing_level(self, X: pd.DataFrame) -> pd.DataFrame:
        """X with NaN in the categorical columns replaced by ``CATBOOST_MISSING_LEVEL``."""
        X = X.copy()
        for column in self.categorical_columns_:
            values = X[column].astype("category")
            X[column] = values.cat.add_categories(CATBOOST_MISSING_LEVEL).fillna(
                CATBOOST_MISSING_LEVEL)
        return X

    def fit(self, X: pd.DataFrame, y: pd.Series) -> "CatBoostOnFrame":
        """Fit CatBoost on X, its non-numeric columns declared as categorical features."""
        from catboost import CatBoostClassifier, CatBoostRegressor

        self.categorical_columns_ = [column for column in X.columns
                                     if not pd.api.types.is_numeric_dtype(X[column])]
        estimator = CatBoostClassifier if self.task == CLASSIFICATION else CatBoostRegressor
        self.model_ = estimator(cat_features=self.categorical_columns_, thread_count=1,
                                verbose=0, random_seed=self.seed, allow_writing_files=False)
        self.model_.fit(self._with_missing_level(X), y)
        if self.task == CLASSIFICATION:
            self.classes_ = self.model_.classes_
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Predicted labels or values, one per row."""
        return np.ravel(self.model_.predict(self._with_missing_level(X)))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``."""
        return self.model_.predict_proba(self._with_missing_level(X))


def make_catboost(task: str, seed: int) -> BaseEstimator:
    """CatBoost defaults, one thread, categorical columns native (see ``CatBoostOnFrame``)."""
    return CatBoostOnFrame(task, seed)


def make_realmlp_td(task: str, seed: int) -> BaseEstimator:
    """pytabkit's RealMLP-TD defaults on the CPU, one thread.

    RealMLP does its own preprocessing but refuses NaN in numeric columns: these get the
    training median and a missing-value indicator column; categorical columns pass as they are.
    """
    import torch
    from pytabkit import RealMLP_TD_Classifier, RealMLP_TD_Regressor

    torch.set_num_threads(1)
    impute_numeric = ColumnTransformer(
        [("numeric", SimpleImputer(strategy="median", add_indicator=True),
          make_column_selector(dtype_include="number"))],
        remainder="passthrough", verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    estimator = RealMLP_TD_Classifier if task == CLASSIFICATION else RealMLP_TD_Regressor
    return make_pipeline(impute_numeric,
                         estimator(device="cpu", n_threads=1, random_state=seed, verbosity=0))


def make_mlp_defaults(task: str, seed: int) -> BaseEstimator:
    """scikit-learn's MLP defaults behind the usual preprocessing: the floor reference.

    Numeric columns: median imputation, then standard scaling. Categorical columns: most
    frequent imputation, then one-hot encoding (unseen levels ignored).
    """
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(SimpleImputer(strategy="most_frequent"),
                                OneHotEncoder(handle_unknown="ignore"))
    preprocess = ColumnTransformer([
        ("numeric", numeric, make_column_selector(dtype_include="number")),
        ("categorical", categorical, make_column_selector(dtype_exclude="number")),
    ])
    estimator = MLPClassifier if task == CLASSIFICATION else MLPRegressor
    return make_pipeline(preprocess, estimator(random_state=seed))


def make_skxor_tabular(task: str, seed: int, **params) -> BaseEstimator:
    """skxor's TabularMLPClassifier or TabularMLPRegressor with its defaults (or ``params``)."""
    from skxor import TabularMLPClassifier, TabularMLPRegressor

    estimator = TabularMLPClassifier if task == CLASSIFICATION else TabularMLPRegressor
    return estimator(random_state=seed, **params)


MODELS: dict[str, Factory] = {
    "HistGradientBoosting": make_hist_gradient_boosting,
    "LightGBM": make_lightgbm,
    "CatBoost": make_catboost,
    "RealMLP-TD": make_realmlp_td,
    "MLP defaults": make_mlp_defaults,
    "skxor TabularMLP": make_skxor_tabular,
}


def register(name: str, factory: Factory) -> None:
    """Add (or replace) a model: ``factory(task, seed)`` returns an unfitted estimator."""
    MODELS[name] = factory


@cache
def cached_table(name: str) -> tuple[pd.DataFrame, pd.Series]:
    """``load_table(name)``, loaded once per process."""
    return load_table(name)


def split_indices(y: pd.Series, task: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the train and test parts of split ``seed`` (stratified if classes)."""
    positions = np.arange(len(y))
    stratify = y if task == CLASSIFICATION else None
    return train_test_split(positions, test_size=TEST_SIZE, random_state=seed,
                            stratify=stratify)


def classification_scores(model: BaseEstimator, X_test: pd.DataFrame,
                          y_test: pd.Series) -> dict:
    """Accuracy, and where the model gives probabilities, log-loss and (binary) ROC-AUC."""
    scores = {"accuracy": accuracy_score(y_test, model.predict(X_test)),
              "logloss": None, "auc": None}
    if hasattr(model, "predict_proba"):
        probabilities = model.predict_proba(X_test)
        scores["logloss"] = log_loss(y_test, probabilities, labels=model.classes_)
        if len(model.classes_) == 2:
            scores["auc"] = roc_auc_score(y_test == model.classes_[1], probabilities[:, 1])
    scores["score"] = scores["accuracy"]
    return scores


def fit_and_score(model_name: str, table_name: str, split: int) -> dict:
    """Fit one model on one split of one table; its test scores and CPU seconds."""
    X, y = cached_table(table_name)
    task = TABLES[table_name].task
    train, test = split_indices(y, task, split)
    model = MODELS[model_name](task, split)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and feature-name chatter of the anchors
        start = time.process_time()
        model.fit(X.iloc[train], y.iloc[train])
        fit_seconds = time.process_time() - start
        start = time.process_time()
        if task == CLASSIFICATION:
            scores = classification_scores(model, X.iloc[test], y.iloc[test])
        else:
            rmse = root_mean_squared_error(y.iloc[test], model.predict(X.iloc[test]))
            scores = {"score": rmse, "rmse": rmse}
        predict_seconds = time.process_time() - start
    return {**scores, "fit_seconds": fit_seconds, "predict_seconds": predict_seconds}


def cache_path(model_name: str) -> Path:
    """The JSON file that holds one model's results."""
    return RESULTS_DIR / f"{model_name}.json"


def read_cache(model_name: str) -> dict:
    """One model's cached results, ``{"table/split": scores}``; empty if none yet."""
    path = cache_path(model_name)
    return json.loads(path.read_text()) if path.exists() else {}


def write_cache(model_name: str, results: dict) -> None:
    """Replace one model's cache file in one step, so that an interrupted run loses nothing."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = cache_path(model_name)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    temporary.replace(path)


def pending_fits(models: list[str], tables: list[str], n_splits: int,
                 refit: bool) -> list[tuple[str, str, int]]:
    """The (model, table, split) triples to fit: those not cached, or all of them with refit."""
    caches = {model: read_cache(model) for model in models}
    return [(model, table, split)
            for table in tables for model in models for split in range(n_splits)
            if refit or f"{table}/{split}" not in caches[model]]


def record_result(model: str, table: str, split: int, result: dict) -> None:
    """Store one fit's result in its model's cache and print a progress line."""
    results = read_cache(model)
    results[f"{table}/{split}"] = result
    write_cache(model, results)
    print(f"{model:>20} {table:>24} split {split}: score {result['score']:.4g}, "
          f"fit {result['fit_seconds']:.1f} CPU s", flush=True)


def report_failure(model: str, table: str, split: int, error: BaseException) -> str:
    """Print a failed fit's error; return a one-line description of it."""
    line = f"{model} on {table} split {split}: {type(error).__name__}: {error}"
    print(f"FAILED {line}", file=sys.stderr, flush=True)
    traceback.print_exception(error, file=sys.stderr)
    return line


def run_fits(fits: list[tuple[str, str, int]], jobs: int) -> list[str]:
    """Run the fits, ``jobs`` processes at a time, caching each result as it comes.

    Returns the descriptions of the fits that failed (these are not cached).
    """
    failures = []
    if jobs == 1:
        for model, table, split in fits:
            try:
                record_result(model, table, split, fit_and_score(model, table, split))
            except Exception as error:  # one failure must not stop the run
                failures.append(report_failure(model, table, split, error))
        return failures
    # fork, so that models registered by the calling script exist in the workers too
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(fit_and_score, *fit): fit for fit in fits}
        for future in as_completed(futures):
            model, table, split = futures[future]
            try:
                record_result(model, table, split, future.result())
            except Exception as error:  # one failure must not stop the run
                failures.append(report_failure(model, table, split, error))
    return failures


def cached_means(models: list[str], tables: list[str], n_splits: int,
                 column: str) -> pd.DataFrame:
    """Table x model frame of one result column's mean over the splits; NaN if incomplete."""
    means = pd.DataFrame(index=tables, columns=models, dtype=float)
    for model in models:
        results = read_cache(model)
        for table in tables:
            keys = [f"{table}/{split}" for split in range(n_splits)]
            values = [results[key].get(column) for key in keys if key in results]
            if len(values) == n_splits and None not in values:
                means.loc[table, model] = float(np.mean(values))
    return means


def fit_seconds(model: str, tables: list[str], n_splits: int) -> list[float]:
    """The cached CPU seconds of each of one model's fits on these tables."""
    results = read_cache(model)
    keys = [f"{table}/{split}" for table in tables for split in range(n_splits)]
    return [results[key]["fit_seconds"] for key in keys if key in results]


def errors_from_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Errors to rank and compare: 1 - accuracy for classification tables, RMSE as it is."""
    errors = scores.copy()
    for table in scores.index:
        if TABLES[table].task == CLASSIFICATION:
            errors.loc[table] = 1.0 - scores.loc[table]
    return errors


def summary_frame(errors: pd.DataFrame, seconds: dict[str, list[float]]) -> pd.DataFrame:
    """Per model: mean rank and geometric mean of error / best error, by task and overall."""
    ranks = errors.rank(axis=1, method="average")
    relative = errors.div(errors.min(axis=1), axis=0)
    is_classification = np.array([TABLES[table].task == CLASSIFICATION for table in errors.index])
    columns = {}
    for label, rows in [("classif.", is_classification), ("regr.", ~is_classification),
                        ("all", np.ones(len(errors), dtype=bool))]:
        columns[f"mean rank {label} ({rows.sum()})"] = ranks[rows].mean()
        columns[f"error / best {label}"] = np.exp(np.log(relative[rows]).mean())
    columns["median CPU s / fit"] = pd.Series({model: np.median(values) if values else np.nan
                                               for model, values in seconds.items()})
    return pd.DataFrame(columns).sort_values(f"mean rank all ({len(errors)})")


def markdown_cell(value: object, digits: int) -> str:
    """One cell: a float with ``digits`` significant digits, blank if NaN; else ``str``."""
    if isinstance(value, float):
        return "" if np.isnan(value) else f"{value:.{digits}g}"
    return str(value)


def markdown(frame: pd.DataFrame, digits: int = 4) -> str:
    """A frame as a markdown table, its index as the first column."""
    header = [frame.index.name or ""] + [str(column) for column in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, row in frame.iterrows():
        cells = [markdown_cell(value, digits) for value in row]
        lines.append("| " + " | ".join([str(label)] + cells) + " |")
    return "\n".join(lines)


def print_report(models: list[str], tables: list[str], n_splits: int,
                 extra_columns: list[str]) -> None:
    """Print, from the cache, the per-table scores and the summary of ranks, errors and time.

    ``extra_columns`` are further cached results (``auc``, ``logloss``, ``fit_seconds``...)
    whose per-table means are printed too, for the tables that have them.
    """
    for column in extra_columns:
        means = cached_means(models, tables, n_splits, column).dropna(how="all")
        means.index.name = "table"
        print(f"\n## Mean {column} over {n_splits} splits\n")
        print(markdown(means))
    scores = cached_means(models, tables, n_splits, "score")
    scores.index.name = "table (accuracy or RMSE)"
    print(f"\n## Mean test score over {n_splits} splits\n")
    print(markdown(scores))
    complete = scores.dropna()
    incomplete = sorted(set(scores.index) - set(complete.index))
    if incomplete:
        print(f"\nLeft out of the summary, results missing: {', '.join(incomplete)}")
    if complete.empty:
        return
    seconds = {model: fit_seconds(model, list(complete.index), n_splits) for model in models}
    summary = summary_frame(errors_from_scores(complete), seconds)
    summary.index.name = "model"
    print(f"\n## Summary over {len(complete)} tables\n")
    print(markdown(summary, digits=3))


def describe_tables(tables: list[str]) -> None:
    """Print each table's source, task, size, column kinds and whether it has NaN."""
    rows = {}
    for name in tables:
        X, y = cached_table(name)
        numeric = X.select_dtypes("number").shape[1]
        task = TABLES[name].task
        classes = f" ({y.nunique()} classes)" if task == CLASSIFICATION else ""
        rows[name] = {"source": TABLES[name].source, "task": task + classes,
                      "target": TABLES[name].target, "rows": len(X), "numeric": numeric,
                      "categorical": X.shape[1] - numeric,
                      "NaN": "yes" if X.isna().any().any() else "no"}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "table"
    print(markdown(frame))


def chosen(names: str | None, known: dict, kind: str) -> list[str]:
    """The comma-separated names asked for (all known ones if none), checked to exist."""
    if names is None:
        return list(known)
    picked = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in picked if name not in known]
    if unknown:
        raise SystemExit(f"unknown {kind}: {', '.join(unknown)}; known: {', '.join(known)}")
    return picked


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", help="comma-separated model names (default: all)")
    parser.add_argument("--tables", help="comma-separated table names (default: all)")
    parser.add_argument("--splits", type=int, default=5, help="train/test splits per table")
    parser.add_argument("--jobs", type=int, default=1, help="fits run in parallel processes")
    parser.add_argument("--refit", action="store_true", help="refit what is cached too")
    parser.add_argument("--cached", action="store_true", help="fit nothing, report the cache")
    parser.add_argument("--describe", action="store_true", help="describe the tables, no fit")
    parser.add_argument("--also", default="",
                        help="more cached columns to tabulate, e.g. auc,logloss,fit_seconds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Fit what the cache lacks for the chosen models and tables, then print the report."""
    arguments = parse_arguments(argv)
    models = chosen(arguments.models, MODELS, "models")
    tables = chosen(arguments.tables, TABLES, "tables")
    if arguments.describe:
        describe_tables(tables)
        return
    failures = []
    if not arguments.cached:
        fits = pending_fits(models, tables, arguments.splits, arguments.refit)
        print(f"{len(fits)} fits to run", flush=True)
        started = time.perf_counter()
        failures = run_fits(fits, arguments.jobs)
        print(f"fits done in {time.perf_counter() - started:.0f} s wall clock", flush=True)
    extra_columns = [column.strip() for column in arguments.also.split(",") if column.strip()]
    print_report(models, tables, arguments.splits, extra_columns)
    if failures:
        print("\nFailed fits:\n" + "\n".join(f"- {line}" for line in failures))


if __name__ == "__main__":
    main()
