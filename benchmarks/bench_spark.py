"""Side by side: skxor's L-BFGS on Dask against Spark MLlib's MultilayerPerceptronClassifier.

Both read the same Parquet files (written here once: a generated problem of
``--rows`` x 50 float64 features in 20 files, and a held-out set of 100,000
rows), train a [50, 64, 2] network of sigmoid units for 20 L-BFGS
iterations on the same number of cores, and report the seconds per
iteration (the fit's wall time over the iterations it ran, as each side
records them: Spark's objective history less its starting point, skxor's
``n_iter_``; each side's reading of the files left out) and the held-out
accuracy. skxor also trains the relu network that Spark cannot.

Spark runs in local mode with ``local[N]``; skxor on a LocalCluster of N
single-threaded worker processes. Benchmark-only requirements:
``pip install -r benchmarks/requirements-spark.txt`` (pyspark 4.1.4 was measured) beside
``pip install ".[dask]"``, and a Java runtime (17 or newer).

Run: python benchmarks/bench_spark.py [--rows 1000000] [--cores 2]
"""

import argparse
import logging
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

N_FEATURES, N_FILES, ITERATIONS = 50, 20, 20


def write_problem(folder, n_rows, seed=0):
    """``n_rows`` training rows in ``N_FILES`` Parquet files, and a held-out file."""
    rng = np.random.default_rng(seed)
    weights = rng.standard_normal(N_FEATURES)
    for part, rows in (("train", n_rows), ("test", 100_000)):
        (folder / part).mkdir()
        for index in range(N_FILES if part == "train" else 1):
            X = rng.standard_normal((rows // (N_FILES if part == "train" else 1), N_FEATURES))
            margin = np.tanh(X @ weights / 4) + 0.3 * np.sin(3 * X[:, 0]) * X[:, 1]
            frame = pd.DataFrame(X, columns=[f"x{column}" for column in range(N_FEATURES)])
            frame["label"] = (margin + 0.3 * rng.standard_normal(len(X)) > 0).astype(np.int64)
            frame.to_parquet(folder / part / f"part-{index:03d}.parquet")


def skxor_fit(folder, cores, activation):
    """Seconds per iteration and held-out accuracy of skxor's L-BFGS on a LocalCluster."""
    import dask.dataframe as dd
    import distributed

    from skxor import MLPBackpropClassifier

    with distributed.LocalCluster(n_workers=cores, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0",
                                  silence_logs=logging.CRITICAL) as cluster, \
            distributed.Client(cluster):
        frame = dd.read_parquet(str(folder / "train")).persist()
        X = frame.drop(columns="label").to_dask_array(lengths=True)
        y = frame["label"].to_dask_array(lengths=True)
        clf = MLPBackpropClassifier((64,), activation=activation, solver="lbfgs",
                                    max_iter=ITERATIONS, tol=0.0, random_state=0)
        start = time.perf_counter()
        clf.fit(X, y)
        seconds = (time.perf_counter() - start) / clf.n_iter_
        test = pd.read_parquet(folder / "test")
        accuracy = clf.score(test.drop(columns="label").to_numpy(), test["label"].to_numpy())
    return seconds, accuracy


def spark_fit(folder, cores):
    """Seconds per iteration and held-out accuracy of Spark MLlib's MLPC, local mode."""
    from pyspark.ml.classification import MultilayerPerceptronClassifier
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator
    from pyspark.ml.feature import VectorAssembler
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(f"local[{cores}]")
             .config("spark.driver.memory", "6g").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.host", "127.0.0.1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        assemble = VectorAssembler(inputCols=[f"x{column}" for column in range(N_FEATURES)],
                                   outputCol="features")
        train = assemble.transform(spark.read.parquet(str(folder / "train"))).select(
            "features", "label").cache()
        train.count()  # read and cache before the clock starts, as skxor's persist
        mlpc = MultilayerPerceptronClassifier(layers=[N_FEATURES, 64, 2], maxIter=ITERATIONS,
                                              solver="l-bfgs", tol=0.0, seed=0)
        start = time.perf_counter()
        model = mlpc.fit(train)
        seconds = (time.perf_counter() - start) / (len(model.summary().objectiveHistory) - 1)
        test = assemble.transform(spark.read.parquet(str(folder / "test")))
        accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(
            model.transform(test))
    finally:
        spark.stop()
    return seconds, accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        write_problem(folder, args.rows)
        results = {"Spark MLlib MLPC, sigmoid": spark_fit(folder, args.cores),
                   "skxor on Dask, sigmoid": skxor_fit(folder, args.cores, "logistic"),
                   "skxor on Dask, relu": skxor_fit(folder, args.cores, "relu")}
    spark_seconds = results["Spark MLlib MLPC, sigmoid"][0]
    print(f"\n### {args.rows:,} x {N_FEATURES} in {N_FILES} Parquet files, [50, 64, 2], "
          f"{ITERATIONS} L-BFGS iterations, {args.cores} cores\n")
    print("| fit | s / iteration | Spark's time over this | held-out accuracy |")
    print("|---|---|---|---|")
    for name, (seconds, accuracy) in results.items():
        print(f"| {name} | {seconds:.3f} | {spark_seconds / seconds:.2f}x | {accuracy:.3f} |")


if __name__ == "__main__":
    main()
