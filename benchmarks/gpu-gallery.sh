#!/usr/bin/env bash
# The full gallery on a GPU machine that has Python and PyTorch but no Keras:
#   bash benchmarks/gpu-gallery.sh OUTDIR [options of gpu_gallery.py]
# The wheels it lacks (`nox -s gpu-wheels` puts them in .whl/) are installed
# into /tmp/dlis-site, the examples run on Keras's torch backend, and OUTDIR
# receives results.json and summary.md, rewritten after every example.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: benchmarks/gpu-gallery.sh OUTDIR [options of benchmarks/gpu_gallery.py]}
shift
if compgen -G ".whl/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/dlis-site .whl/*.whl
  export PYTHONPATH=/tmp/dlis-site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONPATH=$PWD/ext/dlis-gallery/src${PYTHONPATH:+:$PYTHONPATH}  # dlis_gallery, not installed
export KERAS_BACKEND=${KERAS_BACKEND:-torch} PYTHONUNBUFFERED=1
exec python3 benchmarks/gpu_gallery.py "$out" "$@"
