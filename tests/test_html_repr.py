"""scikit-learn's HTML repr (a notebook's display) links each estimator to its API page.

The address is the package's ``Documentation`` URL (``[project.urls]`` in
pyproject.toml) followed by the page autosummary writes for the estimator
from ``docs/api.rst``.
"""

import re
from pathlib import Path

import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skxor
from skxor._docs_link import API_PAGE, documentation_url

ROOT = Path(__file__).parent.parent
ESTIMATORS = [skxor.MLPBackpropClassifier, skxor.MLPBackpropRegressor,
              skxor.TabularMLPClassifier, skxor.TabularMLPRegressor]


def _api_page(estimator_class):
    return documentation_url() + f"generated/skxor.{estimator_class.__name__}.html"


def _autosummary_pages():
    """The pages ``docs/api.rst`` has autosummary write: ``<toctree>/skxor.<name>``."""
    pages, toctree = set(), None
    for line in (ROOT / "docs" / "api.rst").read_text(encoding="utf-8").splitlines():
        if line.startswith(".. autosummary::"):
            toctree = None
        elif match := re.fullmatch(r"\s+:toctree:\s*(\S+)", line):
            toctree = match[1]
        elif toctree and (match := re.fullmatch(r"\s+([A-Za-z_]\w*)", line)):
            pages.add(f"{toctree}/skxor.{match[1]}")
    return pages


@pytest.mark.parametrize("estimator_class", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_an_estimators_repr_links_to_its_api_page(estimator_class):
    assert f'href="{_api_page(estimator_class)}"' in estimator_class()._repr_html_()


@pytest.mark.parametrize("estimator_class", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_an_estimator_in_a_pipeline_links_to_its_api_page(estimator_class):
    html = make_pipeline(StandardScaler(), estimator_class())._repr_html_()
    assert f'href="{_api_page(estimator_class)}"' in html
    assert "sklearn.preprocessing.StandardScaler.html" in html


@pytest.mark.parametrize("estimator_class", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_the_linked_page_is_one_the_docs_build_writes(estimator_class):
    page = API_PAGE.format(estimator_module="skxor", estimator_name=estimator_class.__name__)
    assert page.removesuffix(".html") in _autosummary_pages()


def test_the_site_address_is_the_documentation_url_of_pyproject():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    with open(ROOT / "pyproject.toml", "rb") as file:
        urls = tomllib.load(file)["project"]["urls"]
    assert documentation_url() == urls["Documentation"]
    assert documentation_url().endswith("/")
