"""Sphinx configuration of skxor's documentation site.

Build: ``pip install ".[docs]" && python -m sphinx -W -b html docs docs/_build/html``.

The build is offline on purpose (CI machines reach PyPI and nothing else).
Links into scikit-learn's, NumPy's, Python's, pandas' and Dask's documentation
go through intersphinx, which reads those projects' inventories from
``docs/inventories/`` (real ``objects.inv`` files; ``docs/inventories/README.md``
says where each comes from and how to refresh it) rather than downloading
them, and links to the online sites. ``extlinks`` remain for scikit-learn's
issues and for pages that are not in an inventory.
"""

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
    "sphinx.ext.intersphinx",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "images/README.md", "inventories/README.md"]
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

templates_path = ["_templates"]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# The right-hand "On this page" column lists an API page's methods as
# ``fit()``, ``predict()``, not ``MLPBackpropClassifier.fit()`` over and over.
toc_object_entries_show_parents = "hide"

# Types in docstrings ("array-like of shape ...") link the words below to the
# page that defines them, and leave every other word as written: numpydoc's
# own links for Python's builtins (int, float, ...) are turned off, as on
# scikit-learn's pages, where they would turn every parameter's type blue.
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    **{word: word for word in ("None", "True", "False", "bool", "boolean", "int", "float",
                               "str", "string", "list", "tuple", "dict", "callable")},
    "array-like": ":external+sklearn:term:`array-like`",
    "sparse matrix": ":external+sklearn:term:`sparse matrix`",
    "dask array": "dask.array.Array",
    "ndarray": "numpy.ndarray",
    "RandomState": "numpy.random.RandomState",
    **{name: f"skxor.{name}" for name in skxor.__all__ if name[0].isupper()},
}

INVENTORIES = {
    "sklearn": "https://scikit-learn.org/stable/",
    "numpy": "https://numpy.org/doc/stable/",
    "python": "https://docs.python.org/3/",
    "pandas": "https://pandas.pydata.org/docs/",
    "dask": "https://docs.dask.org/en/stable/",
}
"""The sites intersphinx links to; each one's inventory is ``inventories/<name>.inv``."""

intersphinx_mapping = {name: (site, f"inventories/{name}.inv")
                       for name, site in INVENTORIES.items()}

extlinks = {
    "sklearn": ("https://scikit-learn.org/stable/%s", "%s"),
    "issue": ("https://github.com/scikit-learn/scikit-learn/issues/%s", "scikit-learn #%s"),
}

GALLERY_SECTIONS = ["getting_started", "xor_notebooks", "training", "regression", "scale",
                    "deployment"]
"""The gallery's sections, folders of ``examples/``, in the order the gallery shows them."""


def _one_blas_thread(gallery_conf, fname):
    """sphinx-gallery's ``reset_modules``: run each example with one BLAS thread.

    The examples multiply small matrices. On a two-core machine that other jobs
    keep busy, two BLAS threads that wait for each other made a digits fit ten
    times slower than one thread did (3 to 5 s against 0.4 s).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "subsection_order": [f"../examples/{section}" for section in GALLERY_SECTIONS],
    "filename_pattern": r".*\.py$",  # run every example, not only plot_*.py
    "reset_modules": ("matplotlib", _one_blas_thread),
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    # "Examples using this class" on each API page (docs/_templates/autosummary/class.rst):
    # the examples that use a skxor name, listed per name in generated/backreferences/.
    "doc_module": ("skxor",),
    "backreferences_dir": "generated/backreferences",
}

html_theme = "pydata_sphinx_theme"
html_title = f"skxor {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    # The top bar shows every section up to the FAQ, next to the title, on
    # one line from about 1150 px; Contributing and the changelog go under
    # "More".
    "header_links_before_dropdown": 6,
    "navbar_align": "left",
}
# Pages without sub-pages have nothing to list in the left column: it goes,
# and the article takes its width.
html_sidebars = {page: [] for page in ("install", "getting_started", "faq", "contributing",
                                       "changelog")}
html_static_path = ["_static"]
html_css_files = ["skxor.css"]

# sphinx-gallery's configuration holds a function (``_one_blas_thread``), which
# Sphinx cannot pickle for incremental builds; a full build is what CI runs.
suppress_warnings = ["config.cache"]


def _skip_builtin_members(app, what, name, obj, skip, options):
    """Document what a class defines or inherits from scikit-learn, not what Python gives it.

    The API pages list inherited methods (``get_params``, ``score``,
    ``set_fit_request``), whose docstrings' references to scikit-learn's
    glossary and user guide resolve through its inventory, but not an
    exception's ``with_traceback``. autodoc calls this with ``what="class"``
    for a class's members, autosummary with the member's own type.
    """
    if what in ("class", "method", "attribute", "property") and _defined_by_python(obj):
        return True
    return None


def _defined_by_python(obj):
    defined = getattr(obj, "fget", obj)  # a property is where its getter is
    return (getattr(defined, "__module__", None) or "builtins") == "builtins"


def setup(app):
    app.connect("autodoc-skip-member", _skip_builtin_members)
