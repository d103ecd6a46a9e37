"""Sphinx configuration of skxor's documentation site.

Build: ``pip install ".[docs]" && python -m sphinx -W -b html docs docs/_build/html``.

The build is offline on purpose (CI machines reach PyPI and nothing else), so
there is no intersphinx: it fetches other projects' inventories at build
time. Links to scikit-learn's pages and issues are ``extlinks`` instead,
plain URLs that need no network while building.
"""

import os

import skxor

project = "skxor"
author = "the skxor developers"
copyright = "2026, the skxor developers"
release = version = skxor.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.extlinks",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "images/README.md"]
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

templates_path = ["_templates"]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

extlinks = {
    "sklearn": ("https://scikit-learn.org/stable/%s", "%s"),
    "issue": ("https://github.com/scikit-learn/scikit-learn/issues/%s", "scikit-learn #%s"),
}

DOCS_ARGUMENTS = {"xor_trask.py": ["--passes", "10000"]}
"""Command-line arguments of the examples that have a faster mode for the docs build."""


def _docs_arguments(gallery_conf, script_vars):
    """sphinx-gallery's ``reset_argv``: the arguments an example runs with here."""
    return DOCS_ARGUMENTS.get(os.path.basename(script_vars["src_file"]), [])


sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r".*\.py$",  # run every example, not only plot_*.py
    "reset_argv": _docs_arguments,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skxor {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_static_path = ["_static"]
html_css_files = ["skxor.css"]

# sphinx-gallery's configuration holds a function (``reset_argv``), which
# Sphinx cannot pickle for incremental builds; a full build is what CI runs.
suppress_warnings = ["config.cache"]


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Document a class's own members, not those scikit-learn's base classes define.

    scikit-learn's docstrings refer to its own glossary and labels, which do
    not exist here (``get_params``, ``set_*_request``, the mixins' ``score``).
    """
    module = getattr(obj, "__module__", None) or ""
    if what == "class" and not module.startswith("skxor"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign_members)
