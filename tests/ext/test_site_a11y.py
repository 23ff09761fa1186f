"""The accessibility repairs, and a check that Sphinx and furo still need them (see also
test_furo_templates.py for furo's navigation)."""

from site_a11y import repaired


def test_captions_get_a_heading_level():
    assert repaired('<p class="caption" role="heading"><span>Guides</span></p>') == (
        '<p class="caption" role="heading" aria-level="2"><span>Guides</span></p>'
    )


def test_navigation_checkboxes_lose_the_switch_role_only():
    html = '<input aria-label="Toggle" class="toctree-checkbox" id="c1" role="switch" type="checkbox"/>'
    assert repaired(html) == '<input aria-label="Toggle" class="toctree-checkbox" id="c1" type="checkbox"/>'
    assert repaired('<div role="switch">') == '<div role="switch">'


def test_code_blocks_take_keyboard_focus():
    assert repaired("<div><pre>x = 1</pre></div>") == '<div><pre tabindex="0">x = 1</pre></div>'


def test_sphinx_still_writes_the_faults_these_repairs_mend(build_site):
    """When Sphinx gives captions a level and code blocks focus itself, drop those repairs."""
    index = (
        "Site\n====\n\n.. toctree::\n   :caption: Guides\n\n   page\n\n.. code-block:: python\n\n   x = 1\n"
    )
    site = build_site(
        {"index.rst": index, "page.rst": "Page\n====\n"}, conf='extensions = []\nhtml_theme = "basic"\n'
    )
    html = site.html("index")
    assert '<p class="caption" role="heading">' in html
    assert "<pre><span></span>" in html and "tabindex" not in html
