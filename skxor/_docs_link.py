"""The address of an estimator's API page, for scikit-learn's HTML repr to link to.

The site's address is written once, as ``Documentation`` under
``[project.urls]`` in pyproject.toml, and read here from the installed
package's metadata. The API pages are where ``docs/api.rst`` has autosummary
write them: ``generated/<module>.<name>.html``.
"""

import functools
from importlib import metadata

API_PAGE = "generated/{estimator_module}.{estimator_name}.html"
"""An estimator's API page under the site, in the placeholders scikit-learn fills in."""


@functools.cache
def documentation_url():
    """The documentation site's address, from the package's ``Documentation`` URL.

    Returns
    -------
    url : str
        The address, ending in "/"; "" when skxor is not installed (no
        metadata) or its metadata names no documentation.
    """
    try:
        urls = metadata.metadata("skxor").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return ""
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip() == "Documentation":
            return url.strip().rstrip("/") + "/"
    return ""


def api_page_template():
    """scikit-learn's ``_doc_link_template`` for skxor's estimators.

    Returns
    -------
    template : str
        The API page's address with ``{estimator_module}`` and
        ``{estimator_name}`` left to fill in; "" (no link) when the site's
        address is unknown.
    """
    site = documentation_url()
    return site + API_PAGE if site else ""
