"""The built documentation site: every local link and picture resolves, every name has a page.

The site is built by ``.ci/run`` (``python -m sphinx -W -b html docs docs/_build/html``), which
then runs this module with ``SKXOR_DOCS_HTML`` naming the build; a plain ``pytest`` run, which
builds no site, skips it.
"""

import inspect
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import skxor

BUILD = os.environ.get("SKXOR_DOCS_HTML")
pytestmark = pytest.mark.skipif(BUILD is None, reason="needs the built site: SKXOR_DOCS_HTML")


class _Page(HTMLParser):
    """The links, pictures and element ids of one HTML page."""

    def __init__(self):
        super().__init__()
        self.targets, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and not (tag == "link" and name == "href"
                                             and "stylesheet" not in (attributes.get("rel") or "")):
                self.targets.append(attributes[name])


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
    found = _pages()
    assert len(found) > 20, f"only {len(found)} pages under {BUILD}"
    return found


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
    gallery = {path.stem: page for path, page in pages.items()
               if path.parent.name == "auto_examples" and path.stem.startswith("plot_")}
    assert len(gallery) == len(list((Path(__file__).parent.parent / "examples").glob("plot_*.py")))
    for name, page in gallery.items():
        assert any("sphx_glr_" + name in target and target.endswith(".png")
                   for target in page.targets), name


PUBLIC = [name for name in skxor.__all__ if name != "__version__"]


@pytest.mark.parametrize("name", PUBLIC + ["onnx", "seeds"])
def test_every_public_name_has_its_api_page(pages, name):
    page = Path(BUILD, "generated", f"skxor.{name}.html").resolve()
    assert page in pages, name
    assert {f"skxor.{name}", f"module-skxor.{name}"} & pages[page].ids


@pytest.mark.parametrize("estimator", [skxor.MLPBackpropClassifier, skxor.MLPBackpropRegressor])
def test_every_public_method_of_an_estimator_is_on_its_page(pages, estimator):
    own = f"skxor.{estimator.__name__}"
    ids = pages[Path(BUILD, "generated", f"{own}.html").resolve()].ids
    methods = [name for name, member in inspect.getmembers(estimator, callable)
               if not name.startswith("_")
               and (getattr(member, "__module__", "") or "").startswith("skxor")]
    assert {"fit", "predict", "hidden_activations"} <= set(methods)
    missing = [name for name in methods if f"{own}.{name}" not in ids]
    assert not missing, missing
