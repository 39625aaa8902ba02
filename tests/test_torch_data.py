"""dldemos.torch.data: the device-resident batch iterator and the data set loader."""

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from dldemos.torch.data import DeviceBatchIterator, load_dataset, seconds_per_pass

torch.set_num_threads(1)

CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")
DEVICES = ["cpu", pytest.param("cuda", marks=[pytest.mark.gpu, CUDA])]


def numbered(m, device="cpu"):
    """Examples that carry their own index: X[i] = (i, -i), Y[i] = i."""
    index = torch.arange(m, device=device)
    return torch.stack([index, -index], dim=1).float(), index


def epoch_labels(iterator):
    return torch.cat([yb for _, yb in iterator]).cpu()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("m, batch_size", [(100, 32), (96, 32), (5, 64)])
def test_an_epoch_visits_every_example_once(device, m, batch_size):
    X, Y = numbered(m)
    iterator = DeviceBatchIterator(X, Y, batch_size, device=device)
    sizes = []
    for xb, yb in iterator:
        assert xb.device.type == device and yb.device.type == device
        assert torch.equal(xb[:, 0].long(), yb), "a batch's X rows do not belong to its labels"
        sizes.append(len(yb))
    assert len(sizes) == len(iterator) == -(-m // batch_size)
    assert sizes[:-1] == [batch_size] * (len(sizes) - 1) and sizes[-1] == m - batch_size * (
        len(sizes) - 1
    )
    labels = epoch_labels(iterator)
    assert torch.equal(labels.sort().values, torch.arange(m))


def test_drop_last_drops_the_short_batch():
    iterator = DeviceBatchIterator(*numbered(100), 32, drop_last=True)
    assert len(iterator) == 3
    assert [len(yb) for _, yb in iterator] == [32, 32, 32]


@pytest.mark.parametrize("device", DEVICES)
def test_a_new_seeded_permutation_every_epoch(device):
    X, Y = numbered(200)
    first = DeviceBatchIterator(X, Y, 50, device=device, seed=3)
    again = DeviceBatchIterator(X, Y, 50, device=device, seed=3)
    other = DeviceBatchIterator(X, Y, 50, device=device, seed=4)
    epochs = [epoch_labels(first) for _ in range(3)]
    assert not torch.equal(epochs[0], epochs[1]) and not torch.equal(epochs[1], epochs[2])
    assert not torch.equal(epochs[0], torch.arange(200)), "the first epoch was not shuffled"
    assert all(torch.equal(e, epoch_labels(again)) for e in epochs)
    assert not torch.equal(epochs[0], epoch_labels(other))
    first.set_epoch(1)
    assert torch.equal(epoch_labels(first), epochs[1])
    assert first.epoch == 2


def test_without_shuffle_batches_are_views_in_order():
    X, Y = numbered(10)
    iterator = DeviceBatchIterator(X, Y, 4, shuffle=False)
    batches = list(iterator)
    assert torch.equal(torch.cat([yb for _, yb in batches]), torch.arange(10))
    assert batches[1][0].untyped_storage().data_ptr() == iterator.X.untyped_storage().data_ptr()


def test_numpy_input_keeps_its_dtype():
    X = np.zeros((6, 3), dtype=np.float32)
    iterator = DeviceBatchIterator(X, np.arange(6), 4)
    xb, yb = next(iter(iterator))
    assert xb.dtype == torch.float32 and yb.dtype == torch.int64 and xb.device.type == "cpu"


@pytest.mark.parametrize(
    "X, Y, batch_size, match",
    [
        (torch.zeros(5, 2), torch.zeros(4), 2, "same number of examples"),
        (torch.zeros(5, 2), torch.zeros(5), 0, "batch_size"),
        (torch.zeros(5, 2), torch.zeros(5), 2.5, "batch_size"),
    ],
)
def test_bad_input_is_named(X, Y, batch_size, match):
    with pytest.raises(ValueError, match=match):
        DeviceBatchIterator(X, Y, batch_size)


def test_digits_as_images_match_the_numpy_loader():
    from dldemos.data import load_digits

    X_train, Y_train, X_dev, Y_dev = load_digits(standardize=False)
    Xt, Yt, Xd, Yd = load_dataset("digits", image_size=None)
    assert Xt.shape == (X_train.shape[1], 1, 8, 8) and Xd.shape == (X_dev.shape[1], 1, 8, 8)
    assert Xt.dtype == torch.float32 and Yt.dtype == torch.int64
    np.testing.assert_array_equal(Yt.numpy(), Y_train.ravel())
    np.testing.assert_array_equal(Yd.numpy(), Y_dev.ravel())
    # example i, pixel (r, c) is feature 8r + c of column i, scaled from 0..16 to [0, 1]
    np.testing.assert_allclose(Xt[7, 0, 2, 5].item(), X_train[8 * 2 + 5, 7] / 16, rtol=1e-6)
    assert Xt.min() >= 0 and Xt.max() <= 1

    X28, Y28, _, _ = load_dataset("digits")
    assert X28.shape == (len(Yt), 1, 28, 28) and torch.equal(Y28, Yt)
    assert X28.min() >= 0 and X28.max() <= 1
    # bilinear upsampling keeps every image's mean brightness close
    assert (X28.mean(dim=(1, 2, 3)) - Xt.mean(dim=(1, 2, 3))).abs().max() < 0.05


def write_idx(path, array):
    """An IDX file (gzip-compressed) as MNIST ships them: magic, big-endian dims, uint8 data."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))


def test_fashion_mnist_from_files(tmp_path):
    rng = np.random.default_rng(0)
    images = {"train": rng.integers(0, 256, (5, 28, 28)), "t10k": rng.integers(0, 256, (3, 28, 28))}
    labels = {"train": np.array([0, 1, 2, 3, 9]), "t10k": np.array([4, 5, 6])}
    for split in ("train", "t10k"):
        write_idx(tmp_path / f"{split}-images-idx3-ubyte.gz", images[split])
        write_idx(tmp_path / f"{split}-labels-idx1-ubyte.gz", labels[split])
    Xt, Yt, Xd, Yd = load_dataset("fashion_mnist", tmp_path)
    assert Xt.shape == (5, 1, 28, 28) and Xd.shape == (3, 1, 28, 28) and Xt.dtype == torch.float32
    np.testing.assert_allclose(Xt[:, 0].numpy(), images["train"] / 255, rtol=1e-6)
    assert Yt.tolist() == labels["train"].tolist() and Yd.tolist() == labels["t10k"].tolist()


def test_load_dataset_errors():
    with pytest.raises(KeyError, match="mnist"):
        load_dataset("mnist")
    with pytest.raises(ValueError, match="data_dir"):
        load_dataset("fashion_mnist")


def test_import_dldemos_does_not_import_torch():
    code = "import sys, dldemos; print('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert out.stdout.strip() == "False"


def test_seconds_per_pass_draws_every_batch_of_every_repeat():
    passes = []

    def make_batches():
        passes.append(0)
        for i in range(3):
            passes[-1] += 1
            yield i

    seconds = seconds_per_pass(make_batches, repeats=4)
    assert passes == [3, 3, 3, 3] and 0 <= seconds < 1
    with pytest.raises(ValueError, match="repeats must be a positive integer, got 0"):
        seconds_per_pass(make_batches, repeats=0)
