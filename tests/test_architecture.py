"""The layout the README's "How it is built" describes: thin faces on a shared base."""

import ast
import re
import sys
from pathlib import Path

import pytest

import skxor

PACKAGE = Path(skxor.__file__).parent


def imports_of(module):
    """``(package modules, other modules)`` that ``module``'s source imports."""
    own, other = set(), set()
    for node in ast.walk(ast.parse((PACKAGE / f"{module}.py").read_text())):
        if isinstance(node, ast.ImportFrom):
            (own if node.level else other).add(node.module)
        elif isinstance(node, ast.Import):
            other |= {alias.name for alias in node.names}
    return own, other


FACES = ["_classifier", "_regressor"]


@pytest.mark.parametrize("face", FACES)
def test_a_face_leaves_training_to_the_base(face):
    own, _ = imports_of(face)
    assert own <= {"_base", "_callbacks", "_checks", "_constants", "_docs", "_losses", "_placement",
                   "_predict", "_primitives", "_quantiles", "_validation"}, own


@pytest.mark.parametrize("face", FACES)
def test_a_face_reads_in_one_sitting(face):
    assert len((PACKAGE / f"{face}.py").read_text().splitlines()) <= 450


CORE = ["_network", "_activations", "_losses", "_init", "_update_rules", "_schedules",
        "_primitives", "_constants"]


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_only_numpy_array_api_compat_and_the_standard_library(module):
    own, other = imports_of(module)
    allowed = {"numpy", "array_api_compat", *sys.stdlib_module_names}
    assert {name.split(".")[0] for name in other} <= allowed
    assert own <= set(CORE), own - set(CORE)


def test_only_the_primitives_tell_numpy_from_other_namespaces():
    for module in CORE:
        if module != "_primitives":
            assert "array_api_compat" not in imports_of(module)[1], module


SOLVER_ROOMS = ["_solvers", "_stochastic", "_lbfgs", "_training", "_dropout"]


@pytest.mark.parametrize("module", SOLVER_ROOMS)
def test_the_solvers_stand_on_the_core_and_never_on_scikit_learn(module):
    own, other = imports_of(module)
    # L-BFGS-B is SciPy's, run with SciPy's BLAS on one thread
    allowed = {"numpy", "scipy", "threadpoolctl", *sys.stdlib_module_names}
    assert {name.split(".")[0] for name in other} <= allowed
    assert own <= {*CORE, *SOLVER_ROOMS, "_warnings"}, own


def test_the_base_names_no_solver():
    """Adding a solver is one module and one entry in ``_solvers.SOLVERS``."""
    source = (PACKAGE / "_base.py").read_text()
    assert not [name for name in ('"sgd"', '"adam"', '"lbfgs"') if name in source]
    own, _ = imports_of("_base")
    assert not own & {"_stochastic", "_lbfgs", "_update_rules"}


def test_the_base_knows_nothing_of_labels():
    _, other = imports_of("_base")
    assert not {name for name in other if "preprocessing" in name or "multiclass" in name}
    source = (PACKAGE / "_base.py").read_text()
    assert "classes_" not in source and "LabelBinarizer" not in source


ARRAY_TYPE_TESTS = re.compile(
    r"isinstance\([^)]*np\.ndarray|is np\.ndarray|isinstance\([^)]*,\s*\(?(int, )?float\)?\)"
    r"|issparse|is_array_api_obj|is_torch_array|\"tocsr\"")


def test_only_the_primitives_and_the_placement_test_array_types():
    """Elsewhere an array's kind is the primitives' business: one copy of each formula."""
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem in ("_primitives", "_placement"):
            continue
        found = ARRAY_TYPE_TESTS.findall(path.read_text())
        assert not found, (path.name, found)


def _parameter_count(function):
    arguments = function.args
    names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    if names[:1] in (["self"], ["cls"]):
        names = names[1:]
    return len(names) + bool(arguments.vararg) + bool(arguments.kwarg)


def test_no_private_function_takes_more_than_six_parameters():
    """Pass one object, not seven values (constructors, which store sklearn's parameters,
    and the public check_gradients aside)."""
    crowded = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.FunctionDef) and node.name != "__init__"
                    and not (path.stem == "gradcheck" and node.name == "check_gradients")
                    and _parameter_count(node) > 6):
                crowded.append(f"{path.name}:{node.name}")
    assert not crowded


def test_the_base_is_the_story_of_a_fit_not_a_god_class():
    tree = ast.parse((PACKAGE / "_base.py").read_text())
    (base,) = [node for node in tree.body
               if isinstance(node, ast.ClassDef) and node.name == "BaseMLP"]
    methods = [node for node in base.body if isinstance(node, ast.FunctionDef)]
    docstrings = {line for node in ast.walk(base)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                  for line in range(node.lineno, node.end_lineno + 1)}
    source = (PACKAGE / "_base.py").read_text().splitlines()
    code = [number for number in range(base.lineno, base.end_lineno + 1)
            if number not in docstrings and source[number - 1].strip()
            and not source[number - 1].strip().startswith("#")]
    assert len(methods) <= 15 and len(code) <= 200, (len(methods), len(code))
