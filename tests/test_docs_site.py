"""The built documentation site: every local link and picture resolves, every name has a page.

The site is built by ``.ci/run`` (``python -m sphinx -W -b html docs docs/_build/html``), which
then runs this module with ``SKXOR_DOCS_HTML`` naming the build; a plain ``pytest`` run, which
builds no site, skips the tests that read it. The intersphinx inventories kept in
``docs/inventories/`` are checked wherever Sphinx is installed.
"""

import importlib.util
import inspect
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import skxor

BUILD = os.environ.get("SKXOR_DOCS_HTML")
DOCS = Path(__file__).parent.parent / "docs"
ESTIMATORS = [skxor.MLPBackpropClassifier, skxor.MLPBackpropRegressor,
              skxor.TabularMLPClassifier, skxor.TabularMLPRegressor]


class _Page(HTMLParser):
    """The links, pictures and element ids of one HTML page, and the links of each section."""

    def __init__(self):
        super().__init__()
        self.targets, self.ids = [], set()
        self.sections, self.section_links = [], {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "section":
            self.sections.append(attributes.get("id"))
        for name in ("href", "src"):
            if attributes.get(name) and not (tag == "link" and name == "href"
                                             and "stylesheet" not in (attributes.get("rel") or "")):
                self.targets.append(attributes[name])
        if tag == "a" and attributes.get("href") and self.sections:
            self.section_links.setdefault(self.sections[-1], []).append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "section" and self.sections:
            self.sections.pop()


def _pages():
    pages = {}
    for path in Path(BUILD).rglob("*.html"):
        if "_static" in path.parts:  # the theme's own templates, not pages
            continue
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = page
    return pages


@pytest.fixture(scope="module")
def pages():
    if BUILD is None:
        pytest.skip("needs the built site: SKXOR_DOCS_HTML")
    found = _pages()
    assert len(found) > 20, f"only {len(found)} pages under {BUILD}"
    return found


def _api_page(pages, name):
    return pages[Path(BUILD, "generated", f"skxor.{name}.html").resolve()]


@pytest.fixture(scope="module")
def conf():
    """``docs/conf.py``, loaded as Sphinx loads it."""
    spec = importlib.util.spec_from_file_location("skxor_docs_conf", DOCS / "conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _local(target):
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:")))


def test_every_local_link_and_picture_resolves(pages):
    broken = []
    for path, page in pages.items():
        for target in filter(_local, page.targets):
            parts = urlsplit(target)
            resolved = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.exists():
                broken.append((path.name, target))
            elif parts.fragment and resolved.suffix == ".html" and (
                    parts.fragment not in pages[resolved].ids):
                broken.append((path.name, target))
    assert not broken, broken[:20]


def test_every_gallery_page_shows_its_pictures(pages):
    gallery_dir = Path(BUILD, "auto_examples").resolve()
    gallery = {path.relative_to(gallery_dir).with_suffix(""): page
               for path, page in pages.items()
               if path.is_relative_to(gallery_dir) and path.stem.startswith("plot_")}
    examples = {path.relative_to(DOCS.parent / "examples").with_suffix("")
                for path in (DOCS.parent / "examples").rglob("plot_*.py")}
    assert examples and set(gallery) == examples
    for name, page in gallery.items():
        assert any("sphx_glr_" + name.name in target and target.endswith(".png")
                   for target in page.targets), name


PUBLIC = [name for name in skxor.__all__ if name != "__version__"]


@pytest.mark.parametrize("name", PUBLIC + ["onnx", "seeds"])
def test_every_public_name_has_its_api_page(pages, name):
    page = Path(BUILD, "generated", f"skxor.{name}.html").resolve()
    assert page in pages, name
    assert {f"skxor.{name}", f"module-skxor.{name}"} & pages[page].ids


def _public_methods(cls):
    """The public methods and properties of a class, inherited ones included, not Python's own."""
    return [name for name, member in inspect.getmembers(cls)
            if not name.startswith("_") and (callable(member) or isinstance(member, property))
            and (getattr(getattr(member, "fget", member), "__module__", None) or "builtins")
            != "builtins"]


CLASSES = [name for name in PUBLIC if inspect.isclass(getattr(skxor, name))]


@pytest.mark.parametrize("name", CLASSES)
def test_every_public_method_of_a_class_is_on_its_page(pages, name):
    ids = _api_page(pages, name).ids
    missing = [member for member in _public_methods(getattr(skxor, name))
               if f"skxor.{name}.{member}" not in ids]
    assert not missing, missing


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_an_estimators_page_shows_the_methods_it_inherits_from_scikit_learn(pages, estimator):
    ids = _api_page(pages, estimator.__name__).ids
    assert {f"skxor.{estimator.__name__}.{name}" for name in
            ("score", "get_params", "set_params", "set_fit_request")} <= ids


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_an_estimators_page_opens_with_a_summary_of_its_methods(pages, estimator):
    own = f"skxor.{estimator.__name__}"
    targets = _api_page(pages, estimator.__name__).targets
    summary = targets[:targets.index(f"#{own}")]  # the links before the class's own entry
    missing = [name for name in _public_methods(estimator) if f"#{own}.{name}" not in summary]
    assert not missing, missing


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_an_estimators_page_lists_the_examples_using_it(pages, estimator):
    links = _api_page(pages, estimator.__name__).section_links.get("examples-using-this-class", [])
    assert any("auto_examples/" in link for link in links), estimator.__name__


def test_api_pages_link_into_scikit_learns_and_numpys_sites(pages, conf):
    targets = _api_page(pages, "MLPBackpropClassifier").targets
    sklearn, numpy = conf.INVENTORIES["sklearn"], conf.INVENTORIES["numpy"]
    assert (sklearn + "modules/generated/sklearn.neural_network.MLPClassifier.html"
            "#sklearn.neural_network.MLPClassifier") in targets
    assert sklearn + "glossary.html#term-array-like" in targets
    assert numpy + "reference/generated/numpy.ndarray.html#numpy.ndarray" in targets


def test_no_link_points_into_the_build_or_the_inventories(pages):
    wrong = [(path.name, target) for path, page in pages.items() for target in page.targets
             if target.startswith(("file:", "/")) or "_build/" in target
             or "inventories/" in target]
    assert not wrong, wrong[:20]


def test_every_link_to_an_inventoried_site_is_https(pages, conf):
    hosts = {urlsplit(site).netloc for site in conf.INVENTORIES.values()}
    insecure = [target for page in pages.values() for target in page.targets
                if urlsplit(target).netloc in hosts and urlsplit(target).scheme != "https"]
    assert not insecure, insecure[:20]


def _inventory(name):
    inventory = pytest.importorskip("sphinx.util.inventory")
    with open(DOCS / "inventories" / f"{name}.inv", "rb") as file:
        return inventory.InventoryFile.load(file, "", posixpath.join)


def _project(name):
    header = (DOCS / "inventories" / f"{name}.inv").read_bytes().split(b"\n", 3)[1]
    return header.removeprefix(b"# Project: ").decode()


PROJECTS = {"sklearn": "scikit-learn", "numpy": "NumPy", "python": "Python",
            "pandas": "pandas", "dask": "Dask"}


def test_every_inventory_in_the_folder_is_mapped_to_its_site(conf):
    files = {path.stem for path in (DOCS / "inventories").glob("*.inv")}
    assert files == set(conf.INVENTORIES) == set(PROJECTS)
    for name, (site, location) in conf.intersphinx_mapping.items():
        assert site == conf.INVENTORIES[name] and site.startswith("https://")
        assert location == f"inventories/{name}.inv"


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_an_inventory_is_the_projects_own_and_sphinx_reads_it(name):
    assert _project(name) == PROJECTS[name]
    assert sum(map(len, _inventory(name).values())) > 1000


def _alias_targets(conf):
    """``(inventory or None, type, name)`` of each docstring type that links elsewhere."""
    for word, target in conf.numpydoc_xref_aliases.items():
        if match := re.fullmatch(r":external\+(\w+):(\w+):`([^`]+)`", target):
            yield match[1], f"std:{match[2]}", match[3]
        elif target != word and not target.startswith("skxor."):
            yield None, "py:class", target


def test_every_type_a_docstring_links_to_is_in_an_inventory(conf):
    missing = []
    for inventory, kind, name in _alias_targets(conf):
        names = [_inventory(inventory)] if inventory else map(_inventory, PROJECTS)
        if not any(name in data.get(kind, {}) for data in names):
            missing.append((inventory, kind, name))
    assert not missing, missing
