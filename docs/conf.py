"""Sphinx configuration of the site: settings only; logic lives in ext/."""

import os
from urllib.parse import urlsplit

from sphinx_gallery.sorting import ExplicitOrder

from gallery_pages.memory import PeakMemory

project = "Deep Learning for Imaging Scientists"
author = "Deep Learning for Imaging Scientists contributors"
copyright = "2025, " + author

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",  # the API reference of the readers' library (api.md)
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",  # its numpydoc-style docstrings
    "videoguide",
    "gallery_pages",
    "sphinx_gallery.gen_gallery",
    "sphinx_sitemap",
    "notfound.extension",
    "site_a11y",
    "offline_math",
    "editions",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
templates_path = ["_templates"]

# The API reference: one page per module of dlis_gallery, written by autosummary into api/.
autosummary_generate = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_use_rtype = False
html_math_renderer = "offline_math"  # no MathJax CDN: formulas are drawn at build time

# Editions: English (the source) and one per catalog in locales/, built by
# `python -m editions docs docs/_build/html` into en/ and zh-CN/.
locale_dirs = ["locales/"]
gettext_compact = False  # one catalog per page
editions_names = {"en": "English", "zh_CN": "简体中文"}
editions_overrides = {  # settings that hold words, in each edition's language
    "zh_CN": {
        "html_title": "面向成像科学家的深度学习",
        "copyright": "2025，面向成像科学家的深度学习贡献者",
        "notfound_context": {
            "title": "找不到页面",
            "body": "<h1>找不到页面</h1>\n\n很抱歉，找不到你要访问的内容。请从左侧导航或搜索继续浏览。",
        },
    }
}
# Chinese search splits words with jieba; our terms (去噪, 超分辨率, ...) are its extra dictionary.
html_search_options = {"dict": os.path.join(os.path.dirname(__file__), "locales/zh_CN/search-terms.txt")}

html_theme = "furo"
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "editions.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
html_title = project
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_copy_source = False

# Hosting: the canonical address (Read the Docs sets it; GitHub Pages sets
# DLIS_BASE_URL), a sitemap, and a 404 page whose links work from any depth.
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL",
    os.environ.get("DLIS_BASE_URL", "https://deep-learning-for-imaging-scientists.readthedocs.io/en/latest/"),
)
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
notfound_urls_prefix = urlsplit(html_baseurl).path

# The gallery: examples run during the build (profile chosen by dlis_gallery).
# The readers' library the examples import; the build makes its wheel from here.
dlis_readers_library = "../ext/dlis-gallery"
sphinx_gallery_conf = {
    "examples_dirs": ["../gallery"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py|(^|/)_[^/]*\.py$",  # _workflow.py is shared code, not an example
    "subsection_order": ExplicitOrder(
        ["../gallery/applications", "../gallery/concepts", "../gallery/workflow", "../gallery/your_images"]
    ),
    "within_subsection_order": "gallery_pages.guide_order.GuideOrder",  # as the guide lists them
    # Every example runs even when one fails; the build names each failure at the end
    # (gallery_pages.gallery_failures) and stops each example at its time limit.
    "abort_on_example_error": False,
    "reset_modules": ("matplotlib", "gallery_pages.reset_example"),
    "reset_modules_order": "both",
    "download_all_examples": True,
    "remove_config_comments": True,
    "capture_repr": ("_repr_html_",),  # the measured tables (dlis_gallery's Table, Comparison)
    "min_reported_time": 0,
    "show_memory": PeakMemory(),  # each example's peak memory, measured even in parallel
    "junit": "../../gallery-junit.xml",  # beside the site (docs/_build/), not inside it
    # Two examples at once: on 2 cores 1.4x faster than one after the other, same
    # numbers. Each keeps TensorFlow's two threads: with one thread each, two
    # trainings side by side ran no faster (7.6 against 7.55 steps/s each, 2026-12-07).
    # The workflow's steps that write what later steps read (step 1's data,
    # step 4's network), or that re-run such a step, opt out (# sphinx_gallery_parallel
    # = False): sphinx-gallery runs them first, in order, alone; the steps that only
    # read run two at a time after them.
    "parallel": 2,
    # "Examples using ..." under each function of the API reference, and every call of
    # the library in an example's code linked to its entry there.
    "doc_module": ("dlis_gallery",),
    "backreferences_dir": "api/backreferences",
    "reference_url": {"dlis_gallery": None},
}
# Galleries whose examples build on the workflow's results: a change to any of
# them, or to the workflow, re-runs all of them.
dlis_chained_gallery_dirs = ["auto_examples/workflow", "auto_examples/your_images"]
# What the full profile measured on a GPU machine (benchmarks/gpu-gallery.sh), shown
# on pages built in another profile and on the results page.
dlis_recorded_results = "../gallery/reference/full.json"
# What the main verdicts were under seeds 0, 1 and 2 (nox -s bench -- --seeds 3): a verdict that
# changes with the seed is shown as such.
dlis_recorded_seeds = "../gallery/reference/seeds.json"
