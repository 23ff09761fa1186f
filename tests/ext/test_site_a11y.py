"""Unit tests of the accessibility repairs."""

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
