"""GPU benchmarks of ``dldemos.torch``: optimizer steps and device-resident mini-batches.

Run from the repository root on a machine with a CUDA GPU::

    python benchmarks/gpu_bench.py                       # both parts, markdown table printed
    python benchmarks/gpu_bench.py --output results.md   # ... and written to a file
    python benchmarks/gpu_bench.py --peak-gbps 3350 --data-dir data/fashion_mnist

Without CUDA it says so and exits with status 0. ``--device cpu --sizes 1e5 --examples 2000``
runs the same code on the CPU: a smoke test of the script, not a benchmark.

(a) **Adam / AdamW step.** Our ``Adam`` and ``AdamW`` (``foreach=True``) against
``torch.optim``'s ``foreach=True`` and ``fused=True`` implementations, on 10M and 100M float32
parameters split into 100 tensors (a model's worth of layers) with fixed gradients. Time per
step is the median over ``--repeats`` runs of ``--inner`` back-to-back steps, timed with CUDA
events after ``--warmup`` steps. An optimizer step is memory-bound, so the table reports bandwidth:

* *kernel GB/s*: the bytes the implementation's kernels read and write, divided by the time.
  Each element-wise kernel streams every tensor it touches once, so a ``_foreach`` Adam step
  moves 18 parameter-sized arrays (``lerp`` 3, ``mul`` 2, ``addcmul`` 3, ``sqrt`` 2, ``div`` 2,
  ``add`` 2, ``addcdiv`` 4; AdamW's decay ``mul`` adds 2) and a fused step 7 (read θ, g, v, s;
  write θ, v, s). Its ratio to the device's peak bandwidth says how well the kernels use
  the memory system (goal: > 60 %).
* *useful GB/s*: the 7 arrays any Adam step must move, divided by the time: what the step
  achieves, whatever it does inside. Fused kernels win here by moving fewer bytes.

Goal: our ``foreach`` step within 10 % of ``torch.optim``'s ``foreach`` step.

(b) **LeNet epoch.** One epoch of LeNet (batch 256, SGD) on 60000 images of 1x28x28:
Fashion-MNIST when ``--data-dir`` holds its files, random pixels otherwise (the speed does not
depend on the pixels). ``DeviceBatchIterator`` (data on the GPU, batches cut there) against a
``DataLoader`` over a ``TensorDataset`` on the CPU, the usual PyTorch recipe (with and without
worker processes and pinned memory). Goal: at least 5x the examples per second of the plain
``DataLoader``. Each loader is also timed alone, without the model ("data only").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from dldemos.torch import optim as ours  # noqa: E402
from dldemos.torch.data import DeviceBatchIterator, load_dataset  # noqa: E402
from dldemos.torch.models import LeNet  # noqa: E402
from dldemos.torch.train import train  # noqa: E402

# Peak DRAM bandwidth in GB/s from the vendors' data sheets; the first name contained in
# torch.cuda.get_device_name() wins, so the more specific names come first.
PEAK_GBPS = [
    ("H200", 4800.0),
    ("H100 NVL", 3900.0),
    ("H100 PCIe", 2000.0),
    ("H100", 3350.0),  # SXM5, "NVIDIA H100 80GB HBM3"
    ("A100-SXM4-80GB", 2039.0),
    ("A100 80GB PCIe", 1935.0),
    ("A100", 1555.0),  # 40 GB
    ("L40S", 864.0),
    ("A10G", 600.0),
    ("L4", 300.0),
    ("T4", 320.0),
    ("V100", 900.0),
]
BYTES_PER_FLOAT = 4
USEFUL_ARRAYS = 7  # any Adam step reads θ, g, v, s and writes θ, v, s
FOREACH_ARRAYS = {"Adam": 18, "AdamW": 20}
N_TENSORS = 100


def peak_bandwidth(device: torch.device, override: float | None) -> float | None:
    if override is not None:
        return override
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    return next((gbps for key, gbps in PEAK_GBPS if key in name), None)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def median_ms(function, device: torch.device, repeats: int, warmup: int, inner: int) -> float:
    """Milliseconds per call of ``function()``: the median over ``repeats`` runs of ``inner``
    back-to-back calls (CUDA events on a GPU, the clock on the CPU), after ``warmup`` calls.
    Back-to-back calls are how a training loop issues them: the CPU queues the next kernels
    while the GPU works, so launch overhead only counts when the CPU is the bottleneck."""
    for _ in range(warmup):
        function()
    synchronize(device)
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(inner):
                function()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end) / inner)
        else:
            start = time.perf_counter()
            for _ in range(inner):
                function()
            times.append((time.perf_counter() - start) * 1e3 / inner)
    return statistics.median(times)


def make_parameters(n_params: int, device: torch.device) -> list[torch.Tensor]:
    """``n_params`` float32 parameters in ``N_TENSORS`` tensors, with fixed random gradients;
    the same numbers on every call."""
    generator = torch.Generator(device=device).manual_seed(0)
    sizes = [n_params // N_TENSORS] * (N_TENSORS - 1)
    sizes.append(n_params - sum(sizes))
    params = []
    for size in sizes:
        p = torch.randn(size, generator=generator, device=device).requires_grad_()
        p.grad = torch.randn(size, generator=generator, device=device)
        params.append(p)
    return params


OPTIMIZERS = {  # label: (algorithm, factory, arrays its kernels move per step)
    "torch Adam, foreach": (
        "Adam",
        lambda p: torch.optim.Adam(p, foreach=True),
        FOREACH_ARRAYS["Adam"],
    ),
    "torch Adam, fused": ("Adam", lambda p: torch.optim.Adam(p, fused=True), USEFUL_ARRAYS),
    "ours Adam, foreach": ("Adam", lambda p: ours.Adam(p, foreach=True), FOREACH_ARRAYS["Adam"]),
    "ours Adam, per tensor": (
        "Adam",
        lambda p: ours.Adam(p, foreach=False),
        FOREACH_ARRAYS["Adam"],
    ),
    "torch AdamW, foreach": (
        "AdamW",
        lambda p: torch.optim.AdamW(p, foreach=True),
        FOREACH_ARRAYS["AdamW"],
    ),
    "torch AdamW, fused": ("AdamW", lambda p: torch.optim.AdamW(p, fused=True), USEFUL_ARRAYS),
    "ours AdamW, foreach": (
        "AdamW",
        lambda p: ours.AdamW(p, foreach=True),
        FOREACH_ARRAYS["AdamW"],
    ),
}


def bench_optimizers(
    sizes: list[int],
    device: torch.device,
    peak: float | None,
    repeats: int,
    warmup: int,
    inner: int,
) -> tuple[list[list[str]], list[str]]:
    """Every implementation takes the same number of steps from the same parameters and
    gradients, so its final parameters must agree with torch's ``foreach`` ones (last column)."""
    rows, verdicts = [], []
    for n_params in sizes:
        ms, reference = {}, {}
        for label, (algorithm, factory, arrays) in OPTIMIZERS.items():
            params = make_parameters(n_params, device)
            optimizer = factory(params)
            ms[label] = median_ms(optimizer.step, device, repeats, warmup, inner)
            if label == f"torch {algorithm}, foreach":
                reference[algorithm] = [p.detach().clone() for p in params]
                difference = "-"
            else:
                worst = max(
                    (p.detach() - q).abs().max().item()
                    for p, q in zip(params, reference[algorithm])
                )
                difference = f"{worst:.1e}"
            kernel_gbps = arrays * BYTES_PER_FLOAT * n_params / (ms[label] * 1e6)
            useful_gbps = USEFUL_ARRAYS * BYTES_PER_FLOAT * n_params / (ms[label] * 1e6)
            rows.append(
                [
                    f"{n_params / 1e6:g}M",
                    label,
                    f"{ms[label]:.3f}",
                    f"{kernel_gbps:.0f}",
                    "n/a" if peak is None else f"{kernel_gbps / peak:.0%}",
                    f"{useful_gbps:.0f}",
                    difference,
                ]
            )
            del params, optimizer
            if device.type == "cuda":
                torch.cuda.empty_cache()
        for algorithm, arrays in FOREACH_ARRAYS.items():
            ours_ms = ms[f"ours {algorithm}, foreach"]
            ratio = ours_ms / ms[f"torch {algorithm}, foreach"]
            verdicts.append(
                f"{n_params / 1e6:g}M {algorithm}: ours / torch foreach time = "
                f"{ratio:.2f} (goal <= 1.10: {'met' if ratio <= 1.10 else 'MISSED'})"
            )
            if peak is not None:
                share = arrays * BYTES_PER_FLOAT * n_params / (ours_ms * 1e6) / peak
                verdicts.append(
                    f"{n_params / 1e6:g}M {algorithm}: ours foreach kernel bandwidth "
                    f"= {share:.0%} of peak (goal > 60%: "
                    f"{'met' if share > 0.6 else 'MISSED'})"
                )
    return rows, verdicts


def lenet_data(data_dir: str | None, examples: int):
    """``examples`` images 1x28x28 on the CPU: Fashion-MNIST's first ones if its files are in
    ``data_dir``, random pixels otherwise."""
    if data_dir is not None:
        from dldemos.data import fashion_mnist_available

        if fashion_mnist_available(data_dir):
            X, Y, _, _ = load_dataset("fashion_mnist", data_dir, device="cpu")
            return X[:examples], Y[:examples], "Fashion-MNIST"
    generator = torch.Generator().manual_seed(0)
    X = torch.rand(examples, 1, 28, 28, generator=generator)
    Y = torch.randint(0, 10, (examples,), generator=generator)
    return X, Y, "random pixels (no Fashion-MNIST files)"


def bench_loaders(
    device: torch.device, data_dir: str | None, examples: int, batch_size: int, workers: int
) -> tuple[list[list[str]], list[str], str]:
    from torch.utils.data import DataLoader, TensorDataset

    X, Y, source = lenet_data(data_dir, examples)
    dataset = TensorDataset(X, Y)
    pin = device.type == "cuda"
    loaders = {
        "DeviceBatchIterator": DeviceBatchIterator(X, Y, batch_size, device=device),
        "DataLoader": DataLoader(dataset, batch_size=batch_size, shuffle=True),
        f"DataLoader, {workers} workers{', pinned' if pin else ''}": DataLoader(
            dataset,
            batch_size=batch_size,
            shuffle=True,
            num_workers=workers,
            pin_memory=pin,
            persistent_workers=workers > 0,
        ),
    }
    torch.backends.cudnn.benchmark = True
    rows, rates = [], {}
    for label, loader in loaders.items():
        torch.manual_seed(0)
        model = LeNet().to(device)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        train(model, optimizer, loader, 1, progress=False)  # warm-up: cuDNN autotuning, workers
        data_seconds = _epoch_seconds(lambda: _drain(loader, device), device)
        seconds = _epoch_seconds(lambda: train(model, optimizer, loader, 1, progress=False), device)
        rates[label] = len(X) / seconds
        rows.append([label, f"{seconds:.2f}", f"{rates[label]:,.0f}", f"{data_seconds:.2f}"])
    speedup = rates["DeviceBatchIterator"] / rates["DataLoader"]
    verdict = (
        f"LeNet epoch: DeviceBatchIterator / DataLoader examples per second = "
        f"{speedup:.1f}x (goal >= 5x: {'met' if speedup >= 5 else 'MISSED'})"
    )
    return rows, [verdict], source


def _drain(loader, device: torch.device) -> None:
    for xb, yb in loader:
        xb.to(device, non_blocking=True)
        yb.to(device, non_blocking=True)


def _epoch_seconds(run_epoch, device: torch.device) -> float:
    synchronize(device)
    start = time.perf_counter()
    run_epoch()
    synchronize(device)
    return time.perf_counter() - start


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu (smoke test)")
    parser.add_argument(
        "--peak-gbps",
        type=float,
        default=None,
        help="peak memory bandwidth in GB/s (default: looked up by GPU name)",
    )
    parser.add_argument(
        "--sizes",
        type=float,
        nargs="+",
        default=[10e6, 100e6],
        help="numbers of parameters for part (a) (default: 1e7 1e8)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=20,
        help="timed runs of --inner optimizer steps each (default: 20)",
    )
    parser.add_argument(
        "--inner",
        type=int,
        default=10,
        help="back-to-back optimizer steps per timed run (default: 10)",
    )
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--examples", type=int, default=60000, help="training images for part (b) (default: 60000)"
    )
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument(
        "--workers", type=int, default=4, help="worker processes of the second DataLoader"
    )
    parser.add_argument("--data-dir", default=None, help="folder with the Fashion-MNIST files")
    parser.add_argument(
        "--skip",
        choices=["optimizers", "loaders"],
        action="append",
        default=[],
        help="leave out a part",
    )
    parser.add_argument("--output", default=None, help="also write the tables to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print(
            f"CUDA is not available (torch {torch.__version__}): this benchmark measures GPU "
            f"speed, so there is nothing to do here. Run it on a machine with a CUDA GPU."
        )
        return 0
    peak = peak_bandwidth(device, args.peak_gbps)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    peak_text = "unknown (pass --peak-gbps)" if peak is None else f"{peak:g} GB/s"
    report = [
        f"# dldemos.torch GPU benchmark\n\ndevice: {name}; torch {torch.__version__}; "
        f"peak bandwidth: {peak_text}"
    ]
    verdicts = []
    if "optimizers" not in args.skip:
        rows, found = bench_optimizers(
            [int(n) for n in args.sizes], device, peak, args.repeats, args.warmup, args.inner
        )
        verdicts += found
        report.append(
            f"## (a) Adam / AdamW step, float32 parameters in {N_TENSORS} tensors\n\n"
            + markdown_table(
                [
                    "params",
                    "implementation",
                    "ms / step",
                    "kernel GB/s",
                    "of peak",
                    "useful GB/s",
                    "max |Δθ| vs torch foreach",
                ],
                rows,
            )
        )
    if "loaders" not in args.skip:
        rows, found, source = bench_loaders(
            device, args.data_dir, args.examples, args.batch_size, args.workers
        )
        verdicts += found
        report.append(
            f"## (b) LeNet epoch, {args.examples} x 1x28x28 ({source}), "
            f"batch {args.batch_size}"
            f"\n\n"
            + markdown_table(
                ["batches from", "s / epoch", "examples / s", "data only, s / epoch"], rows
            )
        )
    report.append("## Goals\n\n" + "\n".join(f"- {line}" for line in verdicts))
    text = "\n\n".join(report) + "\n"
    print(text)
    if args.output is not None:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
