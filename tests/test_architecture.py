"""Who knows whom: the coupling rules that "How it is built" describes.

- the folders are layers, and a module imports only from its own folder or a
  layer below it; the import graph has no cycle;
- below the estimator classes, no function takes an estimator, no module
  reads the estimators' private attributes, and nothing writes another
  object's ``__dict__``;
- the registries are the only lists of the names they register;
- the core (``skxor/network``) imports only NumPy, array-api-compat and the
  standard library, and only its primitives (and the placement of a fit's
  arrays) tell one kind of array from another.
"""

import ast
import functools
import re
import sys
from pathlib import Path

import pytest

import skxor
from skxor.network.activations import ACTIVATIONS, ALIASES
from skxor.network.initialization import WEIGHT_INITS
from skxor.targets.losses import CLASSIFICATION_LOSSES, REGRESSION_LOSSES
from skxor.training.solvers import SOLVERS
from skxor.training.update_rules import UPDATE_RULES

PACKAGE = Path(skxor.__file__).parent

LAYERS = {"utils": 0, "network": 1, "data": 2, "training": 3, "targets": 3, "tables": 3}
"""Each folder's layer; the modules at the top of the package (the estimators, onnx,
gradcheck) stand above them all."""
TOP = max(LAYERS.values()) + 1


def module_name(path):
    """``skxor.data.chunked`` for ``skxor/data/chunked.py``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def folder(module):
    """The folder of a module (``"data"``), or None for a module at the top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def layer(module):
    return LAYERS.get(folder(module), TOP)


@functools.cache
def tree(module):
    return ast.parse(MODULES[module].read_text())


def resolved(module, node):
    """The full name of what an ``ImportFrom`` node imports from, or None outside skxor."""
    if not node.level:
        return node.module if (node.module or "").split(".")[0] == "skxor" else None
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(module):
    """The skxor modules ``module`` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.ImportFrom) and (target := resolved(module, node)):
            names = [f"{target}.{alias.name}" for alias in node.names]
            found |= {name for name in names if name in MODULES} or {target}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in MODULES}
    return found - {module}


def other_imports(module):
    """The top-level names of the packages outside skxor that ``module`` imports."""
    names = set()
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
    return names - {"skxor"}


BELOW_THE_ESTIMATORS = [module for module in MODULES if layer(module) < TOP]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_own_folder_or_the_layers_below(module):
    upward = [target for target in imported_modules(module)
              if folder(target) != folder(module) and layer(target) >= layer(module)]
    assert not upward, f"{module} imports {upward}"


def test_the_import_graph_has_no_cycle():
    graph = {module: imported_modules(module) for module in MODULES}
    visiting, done = set(), set()

    def visit(module, path):
        if module in done:
            return
        assert module not in visiting, " -> ".join([*path, module])
        visiting.add(module)
        for target in graph[module]:
            if target in graph:
                visit(target, [*path, module])
        visiting.discard(module)
        done.add(module)

    for module in graph:
        visit(module, [])


ESTIMATOR_WORDS = {"estimator", "face", "model", "classifier", "regressor", "clf", "reg"}


@pytest.mark.parametrize("module", BELOW_THE_ESTIMATORS)
def test_no_function_below_the_estimators_takes_an_estimator(module):
    taking = [f"{getattr(node, 'name', 'lambda')}({argument.arg})"
              for node in ast.walk(tree(module))
              if isinstance(node, (ast.FunctionDef, ast.Lambda))
              for argument in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
              if argument.arg in ESTIMATOR_WORDS]
    assert not taking


@functools.cache
def estimators_private_names():
    """The private methods and class attributes the estimator classes define."""
    names = set()
    for module in MODULES:
        if layer(module) < TOP:
            continue
        for node in ast.walk(tree(module)):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("_") \
                            and not item.name.startswith("__"):
                        names.add(item.name)
                    if isinstance(item, ast.Assign):
                        names |= {target.id for target in item.targets
                                  if isinstance(target, ast.Name)
                                  and re.fullmatch(r"_[A-Z_]+", target.id)}
    return names


def test_the_estimators_have_private_hooks_for_the_next_rule_to_guard():
    assert {"_targets", "_fitted_attributes", "_ENCODED_MARK"} <= estimators_private_names()


@pytest.mark.parametrize("module", BELOW_THE_ESTIMATORS)
def test_no_module_below_the_estimators_reads_their_private_attributes(module):
    hooks = estimators_private_names()
    read = {node.attr for node in ast.walk(tree(module))
            if isinstance(node, ast.Attribute) and node.attr in hooks}
    assert not read


@pytest.mark.parametrize("module", BELOW_THE_ESTIMATORS)
def test_nothing_below_the_estimators_writes_another_objects_dict(module):
    written = [ast.unparse(node) for node in ast.walk(tree(module))
               if isinstance(node, ast.Attribute) and node.attr == "__dict__"
               and not (isinstance(node.value, ast.Name) and node.value.id == "self")]
    written += [ast.unparse(node) for node in ast.walk(tree(module))
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "vars"]
    assert not written


REGISTRIES = {
    "activations": ({*ACTIVATIONS, *ALIASES}, {"skxor.network.activations"}),
    "weight initialisations": (set(WEIGHT_INITS), {"skxor.network.initialization"}),
    "solvers": (set(SOLVERS), {"skxor.training.solvers", "skxor.training.update_rules"}),
    "update rules": (set(UPDATE_RULES), {"skxor.training.update_rules"}),
    "losses": ({*CLASSIFICATION_LOSSES, *REGRESSION_LOSSES}, {"skxor.targets.losses"}),
}
"""Each registry's names, and the modules that register them (every solver name but
``"lbfgs"`` is an update rule's)."""


def name_lists(module, names):
    """The collection literals in ``module`` that list ``names``: two or more of them,
    and at least half of their strings."""
    found = []
    for node in ast.walk(tree(module)):
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            continue
        elements = node.keys if isinstance(node, ast.Dict) else node.elts
        strings = [element.value for element in elements
                   if isinstance(element, ast.Constant) and isinstance(element.value, str)]
        named = sum(string in names for string in strings)
        if named >= 2 and 2 * named >= len(strings):
            found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("registry", REGISTRIES)
def test_a_registry_is_the_only_list_of_its_names(registry):
    names, homes = REGISTRIES[registry]
    lists = {module: found for module in MODULES if module not in homes
             and (found := name_lists(module, names))}
    assert not lists


@pytest.mark.parametrize("registry", REGISTRIES)
def test_a_registry_holds_its_names_as_a_literal_list_the_rule_can_see(registry):
    names, homes = REGISTRIES[registry]
    assert any(name_lists(home, names) for home in homes)


CORE = [module for module in MODULES if folder(module) == "network"]


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_only_numpy_array_api_compat_and_the_standard_library(module):
    assert other_imports(module) <= {"numpy", "array_api_compat", *sys.stdlib_module_names}


ARRAY_TYPE_TESTS = re.compile(
    r"isinstance\([^)]*np\.ndarray|is np\.ndarray|isinstance\([^)]*,\s*\(?(int, )?float\)?\)"
    r"|issparse|is_array_api_obj|is_torch_array|\"tocsr\"")


def test_only_the_primitives_and_the_placement_test_array_types():
    """Elsewhere an array's kind is the primitives' business: one copy of each formula."""
    allowed = {"skxor.network.primitives", "skxor.data.placement"}
    found = {module: hits for module, path in MODULES.items() if module not in allowed
             and (hits := ARRAY_TYPE_TESTS.findall(path.read_text()))}
    assert not found


@pytest.mark.parametrize("module", [module for module in MODULES
                                    if folder(module) in ("training", "network")])
def test_training_and_the_core_never_stand_on_scikit_learn(module):
    assert "sklearn" not in other_imports(module)
