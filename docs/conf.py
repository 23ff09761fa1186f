"""Sphinx configuration of the site: settings only; logic lives in ext/."""

project = "Deep Learning for Imaging Scientists"
author = "Deep Learning for Imaging Scientists contributors"
copyright = "2025, " + author

extensions = ["myst_parser", "videoguide"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]

html_theme = "furo"
html_title = project
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_last_updated_fmt = None
html_copy_source = False
