"""Import Keras without TensorFlow's start-up noise on the build log.

TensorFlow's C++ side prints cuInit, oneDNN and absl messages to the process's
standard error before any Python setting can stop them; ``TF_CPP_MIN_LOG_LEVEL``
silences only what comes later.  Importing the backend once with the error
stream pointed at /dev/null keeps the build log to what matters; TensorFlow's
Python logger is kept to errors (it warns about retracing, for example, when
an example builds several small models in a loop).
"""

from __future__ import annotations

import os
import sys


def quiet_keras():
    """Import and return ``keras`` (and its backend) with start-up noise dropped.

    Returns
    -------
    module
        ``keras``, imported once.

    Examples
    --------
    >>> quiet_keras().__name__
    'keras'
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            import keras

            if keras.backend.backend() == "tensorflow":
                import tensorflow as tf

                tf.config.list_physical_devices("GPU")  # cuInit's messages, now
                tf.get_logger().setLevel("ERROR")  # retracing notices are not the reader's business
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    return keras
