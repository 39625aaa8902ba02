"""Tests for dldemos.data: embedded sets, mini-batches, the IDX reader, the Fashion-MNIST
download (against a local HTTP server) and the image-folder loader."""

import functools
import gzip
import hashlib
import http.server
import threading

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits as sklearn_digits
from sklearn.datasets import make_moons

from dldemos import data

# ---------------------------------------------------------------------------- embedded sets


def _sorted_columns(X):
    return X[:, np.lexsort(X[::-1])]


def test_moons_layout_split_and_standardisation_use_train_statistics():
    X_train, Y_train, X_dev, Y_dev = data.load_moons(
        n_samples=500, noise=0.1, dev_fraction=0.2, seed=3
    )
    assert X_train.shape == (2, 400) and Y_train.shape == (1, 400)
    assert X_dev.shape == (2, 100) and Y_dev.shape == (1, 100)
    assert X_train.dtype == np.float64 and Y_train.dtype == np.int64
    assert set(np.unique(Y_train)) == {0, 1}
    # stratified: make_moons gives 250 per class, so exactly 50 of each go to dev
    assert np.bincount(Y_dev[0]).tolist() == [50, 50]
    np.testing.assert_allclose(X_train.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(X_train.std(axis=1), 1, atol=1e-12)

    raw_train, raw_Y_train, raw_dev, raw_Y_dev = data.load_moons(
        500, 0.1, 0.2, seed=3, standardize=False
    )
    np.testing.assert_array_equal(raw_Y_train, Y_train)
    mu, sigma = raw_train.mean(axis=1, keepdims=True), raw_train.std(axis=1, keepdims=True)
    np.testing.assert_allclose(X_dev, (raw_dev - mu) / sigma)  # dev uses TRAIN statistics
    assert not np.allclose(X_dev.mean(axis=1), 0, atol=1e-3)
    # the split is a partition of scikit-learn's points with their labels
    features, labels = make_moons(n_samples=500, noise=0.1, random_state=3)
    together = np.vstack([np.hstack([raw_train, raw_dev]), np.hstack([raw_Y_train, raw_Y_dev])])
    reference = np.vstack([features.T, labels[np.newaxis]])
    np.testing.assert_array_equal(_sorted_columns(together), _sorted_columns(reference))


def test_moons_are_seeded():
    first, again, other = data.load_moons(seed=1), data.load_moons(seed=1), data.load_moons(seed=2)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_digits_layout_stratification_and_constant_pixels():
    X_train, Y_train, X_dev, Y_dev = data.load_digits(dev_fraction=0.25, seed=0)
    counts = np.bincount(sklearn_digits().target)
    assert X_train.shape[0] == 64 and X_train.shape[1] + X_dev.shape[1] == counts.sum()
    assert Y_train.dtype == np.int64 and Y_train.shape == (1, X_train.shape[1])
    np.testing.assert_array_equal(np.bincount(Y_dev[0], minlength=10), np.round(0.25 * counts))
    assert np.all(np.isfinite(X_train)) and np.all(
        np.isfinite(X_dev)
    )  # blank pixels: std 0 guarded
    raw = data.load_digits(dev_fraction=0.25, seed=0, standardize=False)
    assert raw[0].min() == 0 and raw[0].max() == 16
    constant = raw[0].std(axis=1) == 0
    assert constant.any()
    np.testing.assert_allclose(
        X_dev[constant], raw[2][constant] - raw[0][constant].mean(axis=1, keepdims=True)
    )


def test_stratified_split_rejects_bad_input():
    X, Y = np.zeros((2, 10)), np.zeros((1, 10), dtype=np.int64)
    with pytest.raises(ValueError, match="dev_fraction"):
        data.stratified_split(X, Y, dev_fraction=1.0)
    with pytest.raises(ValueError, match=r"\(2, 10\)"):
        data.stratified_split(X, np.zeros((1, 9)))


def test_temperatures_look_like_a_year_of_weather():
    t = data.load_temperatures()
    assert t.shape == (365,) and t.dtype == np.float64
    np.testing.assert_array_equal(t, data.load_temperatures(seed=0))
    assert not np.array_equal(t, data.load_temperatures(seed=1))
    assert -20 < t.min() and t.max() < 40
    january, july = t[:31].mean(), t[181:212].mean()
    assert july - january > 12
    days = np.arange(365)
    weather = t - (12 - 11 * np.cos(2 * np.pi * (days - 20) / 365.25))
    lag1 = np.corrcoef(weather[:-1], weather[1:])[0, 1]
    assert 0.5 < lag1 < 0.95  # spells of several days, not white noise
    assert 1.0 < np.abs(np.diff(t)).mean() < 5.0  # neighbouring days differ noticeably
    assert data.load_temperatures(n_days=10, seed=0).shape == (10,)
    with pytest.raises(ValueError, match="n_days"):
        data.load_temperatures(n_days=0)


# ---------------------------------------------------------------------------- mini-batches


def test_mini_batches_cover_every_example_once_with_a_smaller_last_batch():
    m = 23
    X = np.vstack([np.arange(m), -np.arange(m)]).astype(float)
    Y = np.arange(m).reshape(1, m) * 10
    batches = data.random_mini_batches(X, Y, batch_size=5, rng=np.random.default_rng(0))
    assert [b[0].shape[1] for b in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([bx[0] for bx, _ in batches])
    assert sorted(seen.tolist()) == list(range(m))
    for bx, by in batches:  # columns of X and Y stay paired
        np.testing.assert_array_equal(by[0], bx[0] * 10)
        np.testing.assert_array_equal(bx[1], -bx[0])


def test_mini_batches_reshuffle_every_call_and_validate():
    X, Y = np.arange(50.0).reshape(1, 50), np.zeros((1, 50))
    rng = np.random.default_rng(0)
    first = data.random_mini_batches(X, Y, 50, rng=rng)[0][0]
    second = data.random_mini_batches(X, Y, 50, rng=rng)[0][0]
    assert not np.array_equal(first, second)
    unshuffled = data.random_mini_batches(X, Y, 20, shuffle=False)
    np.testing.assert_array_equal(unshuffled[0][0], X[:, :20])
    with pytest.raises(ValueError, match="Y has 49"):
        data.random_mini_batches(X, np.zeros((1, 49)), 10)
    with pytest.raises(ValueError, match="2-D"):
        data.random_mini_batches(X[0], Y, 10)
    with pytest.raises(ValueError, match="batch_size"):
        data.random_mini_batches(X, Y, 0)


# ---------------------------------------------------------------------------- IDX files


def _idx_bytes(array: np.ndarray, type_byte: int) -> bytes:
    """An IDX file written by hand from the format's definition (independent of read_idx)."""
    header = bytes([0, 0, type_byte, array.ndim]) + b"".join(
        n.to_bytes(4, "big") for n in array.shape
    )
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write_fashion_files(folder, n_train=6, n_test=4, seed=0):
    """Tiny stand-ins for the four Fashion-MNIST files under their official names."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for prefix, m in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(m, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=m, dtype=np.uint8)
        (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(
            gzip.compress(_idx_bytes(images, 0x08))
        )
        (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(
            gzip.compress(_idx_bytes(labels, 0x08))
        )
        arrays[prefix] = (images, labels)
    return arrays


def test_read_idx_gz_and_raw_files(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
    (tmp_path / "images.gz").write_bytes(gzip.compress(_idx_bytes(images, 0x08)))
    np.testing.assert_array_equal(data.read_idx(tmp_path / "images.gz"), images)
    wide = np.array([[1, -2, 70000], [3, 4, -5]], dtype=np.int32)
    (tmp_path / "wide-idx2-int").write_bytes(_idx_bytes(wide, 0x0C))  # big-endian int32
    result = data.read_idx(tmp_path / "wide-idx2-int")
    np.testing.assert_array_equal(result, wide)
    assert result.dtype.isnative and result.flags.writeable


def test_read_idx_names_file_and_bad_magic(tmp_path):
    bad = tmp_path / "not-idx.gz"
    bad.write_bytes(gzip.compress(b"\x12\x34\x08\x01" + bytes(8)))
    with pytest.raises(ValueError, match=r"not-idx\.gz.*0x12340801"):
        data.read_idx(bad)
    truncated = tmp_path / "short"
    truncated.write_bytes(_idx_bytes(np.zeros((4, 2, 2), np.uint8), 0x08)[:-3])
    with pytest.raises(ValueError, match=r"short.*\(4, 2, 2\).*truncated"):
        data.read_idx(truncated)


def test_load_fashion_mnist_from_files(tmp_path):
    arrays = _write_fashion_files(tmp_path)
    assert data.fashion_mnist_available(tmp_path)
    X_train, Y_train, X_test, Y_test = data.load_fashion_mnist(tmp_path)
    images, labels = arrays["train"]
    assert X_train.shape == (784, 6) and X_train.dtype == np.float32
    assert Y_train.shape == (1, 6) and Y_train.dtype == np.int64
    assert X_test.shape == (784, 4) and Y_test.shape == (1, 4)
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0
    np.testing.assert_allclose(X_train[:, 2], images[2].reshape(-1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(Y_train[0], labels)
    X_nchw, Y_flat, _, _ = data.load_fashion_mnist(tmp_path, normalize=False, flatten=False)
    assert X_nchw.shape == (6, 1, 28, 28) and X_nchw.dtype == np.uint8 and Y_flat.shape == (6,)
    np.testing.assert_array_equal(X_nchw[:, 0], images)


def test_missing_fashion_mnist_offline_says_what_to_do(tmp_path):
    assert not data.fashion_mnist_available(tmp_path)
    with pytest.raises(FileNotFoundError) as info:
        data.load_fashion_mnist(tmp_path)
    message = str(info.value)
    for needle in (
        "download=True",
        "train-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        data.FASHION_MNIST_URL,
        str(tmp_path.resolve()),
    ):
        assert needle in message
    assert list(tmp_path.iterdir()) == []  # nothing fetched, nothing written


def test_official_checksums_are_torchvisions():
    assert data.FASHION_MNIST_MD5 == {
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    }


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def file_server(tmp_path):
    """Serve tmp_path/served over HTTP on 127.0.0.1 (a random free port) from a thread."""
    root = tmp_path / "served"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root))
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _digests(folder, algorithm):
    return {p.name: hashlib.new(algorithm, p.read_bytes()).hexdigest() for p in folder.glob("*.gz")}


@pytest.mark.parametrize("algorithm", ["md5", "sha256"])
def test_download_from_local_server_checks_digests(file_server, tmp_path, algorithm):
    served, url = file_server
    arrays = _write_fashion_files(served)
    target = tmp_path / "downloaded"
    X_train, Y_train, _, _ = data.load_fashion_mnist(
        target, download=True, base_url=url, progress=False, checksums=_digests(served, algorithm)
    )
    for name in data.FASHION_MNIST_MD5:
        assert (target / name).read_bytes() == (served / name).read_bytes()
    assert sorted(p.name for p in target.iterdir()) == sorted(
        data.FASHION_MNIST_MD5
    )  # no temp files left
    np.testing.assert_array_equal(Y_train[0], arrays["train"][1])
    # a second call finds the verified files and does not download again
    (served / "train-images-idx3-ubyte.gz").unlink()
    data.download_fashion_mnist(
        target, base_url=url, progress=False, checksums=_digests(target, algorithm)
    )


def test_download_checksum_mismatch_names_file_and_keeps_nothing(file_server, tmp_path):
    served, url = file_server
    _write_fashion_files(served)
    checksums = _digests(served, "md5")
    actual = checksums["train-labels-idx1-ubyte.gz"]
    checksums["train-labels-idx1-ubyte.gz"] = "0" * 32
    target = tmp_path / "downloaded"
    with pytest.raises(ValueError) as info:
        data.download_fashion_mnist(target, base_url=url, progress=False, checksums=checksums)
    message = str(info.value)
    assert "train-labels-idx1-ubyte.gz" in message and "0" * 32 in message and actual in message
    assert not (target / "train-labels-idx1-ubyte.gz").exists()
    assert not any(p.name.endswith(".part") for p in target.iterdir())


def test_download_reports_unreachable_files(file_server, tmp_path):
    served, url = file_server  # empty folder: every request is a 404
    with pytest.raises(ConnectionError, match=r"train-images-idx3-ubyte\.gz"):
        data.download_fashion_mnist(
            tmp_path / "d",
            base_url=url,
            progress=False,
            checksums={name: "0" * 32 for name in data.FASHION_MNIST_MD5},
            timeout=5,
        )
    with pytest.raises(KeyError, match="t10k-images"):
        data.download_fashion_mnist(
            tmp_path / "d",
            base_url=url,
            progress=False,
            checksums={"train-images-idx3-ubyte.gz": "0" * 32},
        )


# ---------------------------------------------------------------------------- image folder


def _write_cat_set(root, n_per_class, size=(6, 4), nested=False):
    """Solid-colour images; cats reddish, dogs bluish, numbered so file order is known."""
    for split in ("training_set", "test_set"):
        base = root / split / split if nested else root / split
        for name, channel in (("cats", 0), ("dogs", 2)):
            folder = base / name
            folder.mkdir(parents=True)
            for i in range(n_per_class):
                colour = [10, 20, 30]
                colour[channel] = 100 + 10 * i
                suffix = ".png" if i % 2 == 0 else ".jpg"
                Image.new("RGB", size, tuple(colour)).save(folder / f"{name[:-1]}.{i}{suffix}")
            (folder / ".DS_Store").write_bytes(b"junk")  # ignored: hidden, not an image


def test_get_cat_set_layout_labels_and_pixels(tmp_path):
    _write_cat_set(tmp_path, n_per_class=3)
    train_X, train_Y, test_X, test_Y = data.get_cat_set(
        tmp_path, img_shape=(5, 7), train_size=3, test_size=2
    )
    assert train_X.shape == (5 * 7 * 3, 6) and train_X.dtype == np.float32
    assert test_X.shape == (105, 4)
    np.testing.assert_array_equal(train_Y, [[1, 1, 1, 0, 0, 0]])
    np.testing.assert_array_equal(test_Y, [[1, 1, 0, 0]])
    assert train_Y.dtype == np.int64
    assert 0.0 <= train_X.min() and train_X.max() <= 1.0
    first_cat = train_X[:, 0].reshape(5, 7, 3)  # cat.0.png, lossless: (100, 20, 30)
    np.testing.assert_allclose(
        first_cat, np.broadcast_to([100 / 255, 20 / 255, 30 / 255], (5, 7, 3)), atol=1e-6
    )
    first_dog = train_X[:, 3].reshape(5, 7, 3)
    np.testing.assert_allclose(first_dog[..., 2], 100 / 255, atol=1e-6)


def test_get_cat_set_row_major_pixels_and_nested_folders(tmp_path):
    _write_cat_set(tmp_path, n_per_class=1, nested=True)
    picture = np.random.default_rng(0).integers(0, 256, size=(3, 4, 3), dtype=np.uint8)
    Image.fromarray(picture).save(tmp_path / "training_set" / "training_set" / "cats" / "cat.0.png")
    train_X, _, _, _ = data.get_cat_set(tmp_path, img_shape=(3, 4), train_size=1, test_size=1)
    np.testing.assert_allclose(train_X[:, 0], picture.reshape(-1) / 255.0, atol=1e-6)


def test_get_cat_set_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data.get_cat_set(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="training_set"):
        data.get_cat_set(tmp_path)
    _write_cat_set(tmp_path, n_per_class=2)
    with pytest.raises(ValueError, match=r"holds 2 images.*train_size=5"):
        data.get_cat_set(tmp_path, img_shape=(4, 4), train_size=5, test_size=1)
    with pytest.raises(ValueError, match="img_shape"):
        data.get_cat_set(tmp_path, img_shape=(4,), train_size=1, test_size=1)


def test_temperature_season_is_the_cycle_behind_the_temperatures():
    season = data.temperature_season(365)
    assert season.argmin() == 20 and season.argmax() in (202, 203)  # 21 January, 22 July
    assert season.min() == pytest.approx(1.0, abs=0.01) and season.max() == pytest.approx(
        23.0, abs=0.01
    )
    weather = data.load_temperatures(365) - season  # what is left is the weather
    assert abs(weather.mean()) < 1.5 and 2.0 < weather.std() < 5.0
    with pytest.raises(ValueError, match="n_days"):
        data.temperature_season(0)
