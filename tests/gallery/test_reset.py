"""The reset hook gives every example a clean Keras state and the same seeds."""

import numpy as np

from dlis_gallery.quiet import quiet_keras
from dlis_gallery.sphinx_setup import reset_example


def test_reset_clears_layer_names_and_reseeds():
    keras = quiet_keras()
    reset_example({}, "first.py")
    first_name = keras.layers.Dense(1).name
    first_draw = np.random.rand()
    keras.layers.Dense(1)  # state an earlier example leaves behind
    np.random.rand()
    reset_example({}, "second.py")
    assert keras.layers.Dense(1).name == first_name
    assert np.random.rand() == first_draw
