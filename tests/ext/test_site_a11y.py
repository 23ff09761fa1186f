"""The accessibility repairs, and a check that Sphinx and furo still need them (see also
test_furo_templates.py for furo's navigation)."""

from site_a11y import repaired

INDEX = (
    "Site\n====\n\n.. toctree::\n   :caption: Guides\n\n   page\n\n"
    ".. code-block:: python\n\n   x = 1\n\n::\n\n   plain literal\n"
)
PLAIN = 'extensions = []\nhtml_theme = "basic"\n'


def _index(build_site, conf):
    return build_site({"index.rst": INDEX, "page.rst": "Page\n====\n"}, conf=conf).html("index")


def test_captions_get_a_heading_level_and_code_blocks_keyboard_focus(build_site):
    html = _index(build_site, PLAIN.replace("[]", '["site_a11y"]'))
    assert '<p aria-level="2" class="caption" role="heading"><span class="caption-text">Guides' in html
    assert html.count('<pre tabindex="0">') == 2, "the highlighted block and the plain literal"
    assert "<pre>" not in html


def test_navigation_checkboxes_lose_the_switch_role_only():
    html = '<input aria-label="Toggle" class="toctree-checkbox" id="c1" role="switch" type="checkbox"/>'
    assert repaired(html) == '<input aria-label="Toggle" class="toctree-checkbox" id="c1" type="checkbox"/>'
    assert repaired('<div role="switch">') == '<div role="switch">'


def test_sphinx_still_writes_the_faults_these_repairs_mend(build_site):
    """When Sphinx gives captions a level and code blocks focus itself, drop those repairs."""
    html = _index(build_site, PLAIN)
    assert '<p class="caption" role="heading">' in html
    assert "<pre><span></span>" in html and "tabindex" not in html
