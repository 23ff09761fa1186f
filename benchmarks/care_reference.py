"""Is the denoising page's network no worse than CARE trained the same way?

CARE (Weigert et al., 2018) is the field's reference for denoising with pairs of
noisy and clean images, and CAREamics its maintained implementation.  This
script trains CAREamics' CARE with its defaults (a 2-D U-Net of depth 2 and 32
channels with batch norm, MAE loss, Adam with ReduceLROnPlateau, early
stopping, flips and 90-degree turns, mean/std normalisation) on the page's own
data: the 400 training fields of the quick profile (the page's generator, drawn
from the page's seed stream, so they are the page's fields under the same
``DLIS_SEED``), 64x64 patches in batches of 16 (the page's), each patch with
fresh noise from the page's ``blind_noise`` (a custom CAREamics image stack),
validated on 16 fields of 64x64.  Only the training length is not CAREamics'
choice: Lightning's ``max_time`` ends it after ``--seconds`` (pass the page's
"Training took X s"), or ``--steps`` (the page's 700, to compare the designs
rather than their speed), and its early stopping is off (its patience of 3
epochs is 225 steps of these data, and would end a run of 700 steps at 375);
it predicts, as by default, with the checkpoint of the best validation loss.
The batch size, which CAREamics requires, is the page's.

Then, on the same noisy held-out fields (Gaussian noise of the page's SIGMA and
Poisson noise of its PHOTONS): CARE as CAREamics predicts (0.3.x applies no
test-time augmentation; its ``predict`` says "TODO: add TTA"), CARE with the
mean of its answers to the eight turns and mirror images (as the page's network
answers), the page's saved network as ``apply_network`` applies it for a
reader (which is how the page scores it), and BM3D tuned on one field per
noise on the page's quick grid, through the page's ``applied``.  Each PSNR
comes with its 95 % interval, and so does each per-field paired difference.
The table is printed and written to ``bench/care.md``.

The page is neither run nor copied: its functions and quick-profile constants
are read from its source with ``ast``.  Run through ``nox -s care``.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import importlib.util
import os
import sys
import tempfile
import time
import types
import warnings
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from scipy import ndimage

from dlis_gallery.inference import apply_network, loaded
from dlis_gallery.metrics import mean_interval, psnr
from dlis_gallery.tuning import grid_search

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "gallery" / "applications" / "plot_denoising.py"
NEEDED = ("filaments", "gaussian_noise", "poisson_noise", "blind_noise", "applied")
NOISES = {"Gaussian": "gaussian_noise", "Poisson": "poisson_noise"}
CARE, CARE_8 = "CARE (as CAREamics predicts)", "CARE, mean of 8 views"
PAGE_NETWORK = "page network (apply_network, as the page scores it)"
#: The per-field differences reported: first minus second.
DIFFERENCES = [
    (PAGE_NETWORK, CARE_8),
    (PAGE_NETWORK, CARE),
    (CARE_8, "BM3D"),
    (CARE, "BM3D"),
    (PAGE_NETWORK, "BM3D"),
]


class QuickProfile(ast.NodeTransformer):
    """``run.pick(smoke=..., quick=..., full=...)`` becomes its ``quick`` value."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "pick":
            return next(keyword.value for keyword in node.keywords if keyword.arg == "quick")
        return self.generic_visit(node)


def read_page(path: Path, names: tuple[str, ...]) -> dict:
    """The page's top-level functions ``names`` and every page function they call, defined
    in a namespace of the modules they use (NumPy, SciPy's ndimage), and the page's literal
    top-level constants at the quick profile; nothing else of the page runs."""
    tree = ast.parse(path.read_text(), filename=str(path))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    wanted, queue = set(), list(names)
    while queue:
        name = queue.pop()
        if name not in wanted:
            wanted.add(name)
            called = ast.walk(functions[name])
            queue += [node.id for node in called if isinstance(node, ast.Name) and node.id in functions]
    page = {"np": np, "ndimage": ndimage}
    code = ast.Module([node for name, node in functions.items() if name in wanted], type_ignores=[])
    exec(compile(code, str(path), "exec"), page)
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            try:
                value = ast.literal_eval(QuickProfile().visit(node.value))
            except (ValueError, TypeError, SyntaxError):
                continue
            target = node.targets[0]
            if isinstance(target, ast.Name):
                page[target.id] = value
            elif isinstance(target, ast.Tuple):
                page.update((name.id, item) for name, item in zip(target.elts, value, strict=True))
    return page


def import_careamics() -> types.ModuleType:
    """CAREamics, with empty modules standing in for torchvision while it is imported.

    It imports torchvision at start-up for its LVAE models and model-zoo export, never
    for CARE; the registry's torchvision is built for CUDA's torch and cannot import
    beside the CPU build, so ``nox -s care`` installs none.  Lightning and torchmetrics,
    which merely ask whether it is there, are imported first and see that it is not.
    """
    import lightning.pytorch  # noqa: F401

    if importlib.util.find_spec("torchvision") is not None:
        import careamics

        return careamics
    names = ("torchvision", "torchvision.transforms", "torchvision.transforms.functional")
    sys.modules.update((name, types.ModuleType(name)) for name in names)
    sys.modules["torchvision"].__version__ = "not installed"
    try:
        import careamics
    finally:
        for name in names:
            del sys.modules[name]
    return careamics


@dataclass(frozen=True)
class Fields:
    """Images (a stack of YX) for CAREamics' custom loader; with ``fresh_noise``, every
    patch taken from them gets new noise."""

    images: np.ndarray
    fresh_noise: bool = False


def fields_stacks(source: Fields, axes: str, blind_noise, seed: int) -> list:
    """CAREamics' image stack loader for :class:`Fields`: its in-memory stack, which adds
    ``blind_noise`` to every patch taken when asked (each data-loading worker its own stream)."""
    import torch
    from careamics.dataset.image_stack import InMemoryImageStack

    class FreshNoise(InMemoryImageStack):
        streams: dict = {}

        def extract_patch(self, sample_idx, channels, coords, patch_size):
            clean = super().extract_patch(sample_idx, channels, coords, patch_size)
            worker = torch.utils.data.get_worker_info()
            key = 0 if worker is None else worker.id + 1
            rng = self.streams.setdefault(key, np.random.default_rng([seed, 1, key]))
            return blind_noise(clean, rng)

    stack = FreshNoise if source.fresh_noise else InMemoryImageStack
    images = np.asarray(source.images, "float32")
    return [stack("array", images[:, None], original_axes=axes, original_data_shape=images.shape)]


def train_care(page: dict, fields, validation, length: dict, seed: int, workdir: str):
    """CAREamics' CARE trained on ``fields`` with fresh noise for ``length`` (Lightning's
    ``max_time`` or ``max_steps``): the model, its training wall seconds, steps and epochs."""
    from careamics import CAREamist, ImageStackLoading
    from careamics.config import create_advanced_care_config

    rng = np.random.default_rng([seed, 3])
    noisy_validation = np.stack([page["blind_noise"](clean, rng) for clean in validation])
    config = create_advanced_care_config(
        experiment_name="care_reference",
        data_type="custom",
        axes="SYX",
        patch_size=[64, 64],
        batch_size=page["BATCH"],
        num_epochs=100_000,  # the clock or the step count ends training, not the epochs
        trainer_params={**length, "accelerator": "cpu"},
        early_stopping_params={},  # none: the length is the budget's (its 3 epochs here are 225 steps)
        seed=seed + 1,  # CAREamics' seeds start at 1
    )
    care = CAREamist(config, work_dir=workdir, enable_progress_bar=False)
    loading = ImageStackLoading(fields_stacks, {"blind_noise": page["blind_noise"], "seed": seed})
    start = time.perf_counter()
    care.train(
        train_data=Fields(np.stack(fields), fresh_noise=True),
        train_data_target=Fields(np.stack(fields)),
        val_data=Fields(noisy_validation),
        val_data_target=Fields(np.stack(validation)),
        loading=loading,
    )
    took = time.perf_counter() - start
    return care, took, care.trainer.global_step, care.trainer.current_epoch


def care_answers(care, noisy: np.ndarray, views: int) -> np.ndarray:
    """CARE's answers to a stack of fields: as CAREamics predicts (``views=1``), or the mean of
    its answers to the eight turns and mirror images of each field, each turned back."""
    answers = []
    for view in range(views):
        turns, mirrored = view % 4, view >= 4
        shown = np.rot90(noisy[:, :, ::-1] if mirrored else noisy, turns, axes=(1, 2))
        predicted, _ = care.predict(np.ascontiguousarray(shown), axes="SYX", data_type="array")
        stack = np.concatenate([np.reshape(answer, (-1, *shown.shape[1:])) for answer in predicted])
        back = np.rot90(stack, -turns, axes=(1, 2))
        answers.append(back[:, :, ::-1] if mirrored else back)
    return np.mean(answers, axis=0)


def tuned_bm3d(page: dict, kind: str, level: float, tuning, rng) -> tuple:
    """BM3D with its scale tuned on the tuning fields as the page tunes it (the page's
    quick grid, through its ``applied``): the denoiser, the scale, and whether that lies on
    the edge of the grid."""
    import bm3d

    one_core = bm3d.BM3DProfile()
    one_core.num_threads = 1  # as the page runs it

    def denoiser(image, sigma, scale):
        return bm3d.bm3d(image, scale * sigma, profile=one_core)

    pairs = [(clean, page[NOISES[kind]](clean, level, rng)) for clean in tuning]

    def score(scale):
        at = partial(denoiser, scale=scale)
        return np.mean([psnr(clean, page["applied"](at, noisy, kind, level)) for clean, noisy in pairs])

    tuned = grid_search(score, {"scale": page["GRIDS"]["BM3D"]["scale"]})
    scale = tuned.knobs["scale"]
    at = partial(denoiser, scale=scale)
    return partial(page["applied"], at, kind=kind, level=level), scale, bool(tuned.edges)


def interval(values) -> str:
    mean, low, high = mean_interval(values)
    return f"{mean:.2f} [{low:.2f}, {high:.2f}]"


def compared(page: dict, care, network: Path, tuning, held_out, seed: int) -> tuple[list, list, list]:
    """Every method on the same noisy held-out fields at the page's two main noises: the
    table's rows of PSNR, of per-field differences, and BM3D's tuned scales."""
    model, how = loaded(network)
    rng = np.random.default_rng([seed, 2])
    rows, differences, notes = [], [], []
    for kind, level in {"Gaussian": page["SIGMA"], "Poisson": page["PHOTONS"]}.items():
        case = f"{kind} {level:g}"
        bm3d_at, scale, on_edge = tuned_bm3d(page, kind, level, tuning, rng)
        notes.append(f"BM3D, {case}: scale {scale}" + (" (on the edge of its grid)" if on_edge else ""))
        noisy = np.stack([page[NOISES[kind]](clean, level, rng) for clean in held_out])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # apply_network's fit warnings
            answers = {
                CARE: care_answers(care, noisy, views=1),
                CARE_8: care_answers(care, noisy, views=8),
                PAGE_NETWORK: [apply_network((model, how), field) for field in noisy],
                "BM3D": [bm3d_at(field) for field in noisy],
            }
        scores = {name: np.array(list(map(psnr, held_out, got))) for name, got in answers.items()}
        rows += [f"| {case} | {name} | {interval(values)} |" for name, values in scores.items()]
        differences += [f"| {case} | {a} - {b} | {interval(scores[a] - scores[b])} |" for a, b in DIFFERENCES]
    return rows, differences, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", type=Path, required=True, help="denoising.keras written by the page")
    parser.add_argument("--seconds", type=float, default=60.0, help="CARE's training budget (the page's)")
    parser.add_argument("--steps", type=int, help="train CARE this many steps instead, whatever the time")
    parser.add_argument("--seed", type=int, default=0, help="the page's DLIS_SEED")
    parser.add_argument("--fields", type=int, default=16, help="held-out fields of 96x96")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "care.md")
    args = parser.parse_args()

    page = read_page(PAGE, NEEDED)
    filaments = page["filaments"]
    rng = np.random.default_rng([args.seed, 0])  # the page's run.rng(): its fields, in its order
    fields = [filaments(96, rng) for _ in range(page["FIELDS"])]
    validation = [filaments(64, rng) for _ in range(16)]
    tuning = [filaments(64, rng)]
    held_out = [filaments(96, rng) for _ in range(args.fields)]

    careamics = import_careamics()
    import torch

    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as workdir:
        length = {"max_steps": args.steps} if args.steps else {"max_time": {"seconds": args.seconds}}
        care, seconds, steps, epochs = train_care(page, fields, validation, length, args.seed, workdir)
        rows, differences, notes = compared(page, care, args.network, tuning, held_out, args.seed)
    budget = f"until step {args.steps}" if args.steps else f"budget {args.seconds:g} s"
    text = "\n".join(
        [
            f"# CARE (CAREamics {careamics.__version__}, torch {torch.__version__}) and the denoising page",
            "",
            f"{datetime.datetime.now():%Y-%m-%d %H:%M}; seed {args.seed}; network {args.network}; "
            f"{args.fields} held-out fields of 96x96; CPU load {load[0]:.2f} {load[1]:.2f} "
            f"(1 and 5 minutes) at the start, {os.cpu_count()} cores.",
            "",
            f"CARE trained {seconds:.1f} s ({budget}): {steps} steps of {page['BATCH']} "
            f"patches, {epochs} epochs; the page's network trains {page['STEPS']} steps of {page['BATCH']}.",
            "; ".join(notes) + ".",
            "",
            "| case | method | PSNR (dB), mean [95 % interval] |",
            "| --- | --- | --- |",
            *rows,
            "",
            "| case | per-field difference | PSNR (dB), mean [95 % interval] |",
            "| --- | --- | --- |",
            *differences,
            "",
        ]
    )
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
