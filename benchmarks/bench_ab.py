"""A/B speed of this checkout's skxor against another copy of it, in one process.

A change to the core or the estimator layer must not slow the NumPy path. This
loads the other copy as the package ``skxor_other`` beside ``skxor`` and times
the configurations of ``bench_vs_sklearn.py --quick`` with both, alternately,
A B B A, in rounds: the same process, data and parameters, so that the ratio
reads the change alone and not the machine's mood.

Run: python benchmarks/bench_ab.py --against PATH [--pairs N] [--only TEXT]
(PATH holds the other copy's ``skxor`` package, for example an unpacked
``git archive`` of an older commit.)
"""

import argparse
import importlib.util
import statistics
import sys
from pathlib import Path

import bench_vs_sklearn as bench

import skxor


def load_other(path):
    """The ``skxor`` package under ``path``, imported as ``skxor_other``."""
    package = Path(path).resolve() / "skxor"
    spec = importlib.util.spec_from_file_location(
        "skxor_other", package / "__init__.py", submodule_search_locations=[str(package)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["skxor_other"] = module
    spec.loader.exec_module(module)
    return module


def quick_cases():
    return [bench.xor_case(500), *bench.wide_cases(5000, 2), *bench.digits_cases(3, 30),
            bench.predict_case(50_000), *bench.regression_cases(2, 5000),
            bench.offset_buffer_case(200_000)]


def estimator_classes(module, case):
    return (module.MLPBackpropClassifier if case.kind == "classifier"
            else module.MLPBackpropRegressor)


def run_pairs(case, ours, other, pairs):
    """Per-pair times of ``ours`` and ``other`` on ``case``."""
    fitted = {}
    if case.per == "predict_proba":
        plain = bench.Case(case.name, case.X, case.y, case.params)
        fitted = {cls: bench.run_once(cls, plain) for cls in (ours, other)}
    times = {ours: [], other: []}
    for round_ in range(pairs):
        # A B, then B A: neither always runs first, after the other's garbage
        for cls in (ours, other) if round_ % 2 == 0 else (other, ours):
            times[cls].append(bench.timed(cls, case, fitted.get(cls))[0])
    return times[ours], times[other]


def main(against, pairs, only=""):
    other_module = load_other(against)
    print(f"skxor here against {against}; {pairs} rounds of A/B pairs\n")
    print("| configuration | here median | other median | ratio here / other (median of pairs) |")
    print("|---|---:|---:|---:|")
    for case in (case for case in quick_cases() if only in case.name):
        ours = estimator_classes(skxor, case)
        other = estimator_classes(other_module, case)
        mine, theirs = run_pairs(case, ours, other, pairs)
        ratio = statistics.median(a / b for a, b in zip(mine, theirs, strict=True))
        print(f"| {case.name} | {bench.format_seconds(statistics.median(mine))} | "
              f"{bench.format_seconds(statistics.median(theirs))} | {ratio:.3f} |", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True,
                        help="folder holding the other copy's skxor package")
    parser.add_argument("--pairs", type=int, default=9, help="rounds: A/B pairs per configuration")
    parser.add_argument("--only", default="", help="only the configurations naming this")
    arguments = parser.parse_args()
    main(arguments.against, arguments.pairs, arguments.only)
