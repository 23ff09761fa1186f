"""Layers the gallery's networks use that Keras lacks, registered so a saved network loads anywhere.

A ``Lambda`` layer would do, but Keras saves a lambda as Python bytecode,
which another Python version cannot load, and refuses to load it at all
unless told the file is trusted.  A named layer saves as its name and
settings.
"""

from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="dlis_gallery")
class PixelShuffle(keras.layers.Layer):
    """``scale**2`` channels rearranged into an image ``scale`` times larger (depth to space)."""

    def __init__(self, scale: int, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return keras.ops.depth_to_space(inputs, self.scale)

    def compute_output_shape(self, input_shape):
        batch, rows, cols, channels = input_shape
        grown = [None if size is None else size * self.scale for size in (rows, cols)]
        return (batch, *grown, channels // self.scale**2)

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale}
