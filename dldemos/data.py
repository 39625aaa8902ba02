"""Data for the course: embedded data sets, real-data loaders and mini-batch splitting.

Layout convention (chapter 1): one example per *column*. ``X`` has shape ``(n_x, m)`` and
``Y`` has shape ``(1, m)``; mini-batch ``t`` is written ``X^{t}``.

What lives here, from the cheapest to the most expensive to obtain:

* ``random_mini_batches`` cuts a data set into the mini-batches of one epoch.
* Embedded data (no disk, no network, a fraction of a second): ``load_moons`` and
  ``load_digits`` (scikit-learn's generator and bundled 8x8 digits), ``load_temperatures``
  (a synthetic year of daily temperatures for the averages chapter). ``stratified_split``
  and ``standardize`` are the two steps they share.
* Fashion-MNIST on disk: ``read_idx`` reads the IDX format, ``download_fashion_mnist``
  fetches and checks the four official files, ``load_fashion_mnist`` returns the arrays.
  Nothing is downloaded unless asked for with ``download=True``.
* ``get_cat_set``: the seed's cat-vs-dog image folder, read with Pillow.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import numpy as np

from dldemos.files import atomic_write
from dldemos.seeding import make_rng


def random_mini_batches(
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    rng: np.random.Generator | None = None,
    shuffle: bool = True,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split ``(X, Y)`` into mini-batches ``(X^{t}, Y^{t})`` along the example axis.

    The columns are permuted with ``rng`` (a fresh permutation every call, i.e. every
    epoch), then cut into ``ceil(m / batch_size)`` batches; the last one holds the
    ``m mod batch_size`` examples left over when ``batch_size`` does not divide ``m``.
    ``batch_size >= m`` gives batch gradient descent, ``batch_size == 1`` stochastic
    gradient descent.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2:
        raise ValueError(
            f"X and Y must be 2-D (n_x, m) and (1, m); got shapes {X.shape} and {Y.shape}"
        )
    m = X.shape[1]
    if Y.shape[1] != m:
        raise ValueError(
            f"X has {m} examples (columns) but Y has {Y.shape[1]}; shapes {X.shape} and {Y.shape}"
        )
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if shuffle:
        rng = np.random.default_rng() if rng is None else rng
        order = rng.permutation(m)
        X, Y = X[:, order], Y[:, order]
    return [
        (X[:, start : start + batch_size], Y[:, start : start + batch_size])
        for start in range(0, m, batch_size)
    ]


# ----------------------------------------------------------------------------------------
# Embedded data sets
# ----------------------------------------------------------------------------------------


def stratified_split(
    X: np.ndarray, Y: np.ndarray, dev_fraction: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split the columns of ``(X, Y)`` into a training and a dev set with the same class mix.

    Every class ``c`` with ``m_c`` examples sends ``round(dev_fraction * m_c)`` of them,
    chosen at random, to the dev set and the rest to the training set, so both sets keep
    the class proportions of the whole. Each set is then shuffled, so that the classes
    are interleaved. The same ``seed`` always gives the same split.

    Returns ``(X_train, Y_train, X_dev, Y_dev)``.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or Y.shape[0] != 1 or Y.shape[1] != X.shape[1]:
        raise ValueError(
            f"expected X of shape (n_x, m) and Y of shape (1, m); got {X.shape} and {Y.shape}"
        )
    if not 0.0 < dev_fraction < 1.0:
        raise ValueError(f"dev_fraction must lie strictly between 0 and 1, got {dev_fraction!r}")
    rng = make_rng(seed)
    train_columns, dev_columns = [], []
    for label in np.unique(Y):
        columns = rng.permutation(np.flatnonzero(Y[0] == label))
        n_dev = int(round(dev_fraction * columns.size))
        if n_dev == 0 or n_dev == columns.size:
            raise ValueError(
                f"class {label!r} has {columns.size} examples: too few to put "
                f"a fraction {dev_fraction} of them in the dev set and keep the rest for training"
            )
        dev_columns.append(columns[:n_dev])
        train_columns.append(columns[n_dev:])
    train = rng.permutation(np.concatenate(train_columns))
    dev = rng.permutation(np.concatenate(dev_columns))
    return X[:, train], Y[:, train], X[:, dev], Y[:, dev]


def standardize(X_train: np.ndarray, X_dev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale every feature (row) to mean 0 and standard deviation 1 *on the training set*.

    ``x' = (x - mu) / sigma`` with ``mu`` and ``sigma`` the mean and standard deviation of
    the feature over the training examples. The dev set is transformed with the same
    ``mu`` and ``sigma``: it stands for data the model has never seen, so it must not
    influence the preprocessing. A feature that is constant on the training set
    (``sigma = 0``, e.g. a blank border pixel) is only centred.
    """
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    sigma[sigma == 0] = 1.0
    return (X_train - mu) / sigma, (X_dev - mu) / sigma


def _as_course_layout(features: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's ``(m, n_x)`` and ``(m,)`` to the course's ``(n_x, m)`` and ``(1, m)``."""
    return np.ascontiguousarray(features.T, dtype=np.float64), labels.astype(np.int64).reshape(
        1, -1
    )


def load_moons(
    n_samples: int = 1000,
    noise: float = 0.2,
    dev_fraction: float = 0.2,
    seed: int = 0,
    standardize: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two interleaving half-moons: a small binary task no straight line can separate.

    Points come from ``sklearn.datasets.make_moons(n_samples, noise=noise,
    random_state=seed)``. Returns ``(X_train, Y_train, X_dev, Y_dev)``: ``X`` of shape
    ``(2, m)`` float64, ``Y`` of shape ``(1, m)`` int64 with labels 0 and 1, split by
    ``stratified_split`` and, with ``standardize=True``, scaled with the training
    set's mean and standard deviation.
    """
    from sklearn.datasets import make_moons

    features, labels = make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    X, Y = _as_course_layout(features, labels)
    return _split_and_scale(X, Y, dev_fraction, seed, standardize)


def load_digits(
    dev_fraction: float = 0.2, seed: int = 0, standardize: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The 1797 handwritten 8x8 digits bundled with scikit-learn (no download).

    Returns ``(X_train, Y_train, X_dev, Y_dev)``: ``X`` of shape ``(64, m)`` float64 (pixel
    intensities 0..16, standardised with the training statistics when
    ``standardize=True``), ``Y`` of shape ``(1, m)`` int64 with labels 0..9; the split is
    stratified, so every digit keeps its share in both sets.
    """
    from sklearn.datasets import load_digits as sklearn_load_digits

    digits = sklearn_load_digits()
    X, Y = _as_course_layout(digits.data, digits.target)
    return _split_and_scale(X, Y, dev_fraction, seed, standardize)


def _split_and_scale(X, Y, dev_fraction, seed, scale):
    X_train, Y_train, X_dev, Y_dev = stratified_split(X, Y, dev_fraction, seed)
    if scale:
        X_train, X_dev = standardize(X_train, X_dev)
    return X_train, Y_train, X_dev, Y_dev


def load_temperatures(n_days: int = 365, seed: int = 0) -> np.ndarray:
    """A synthetic year of daily mean temperatures in degrees Celsius (chapter 2's data).

    Two parts, as in a temperate-climate city:

    * the season, :func:`temperature_season`: coldest around 21 January (about 1 degree),
      warmest around 22-23 July (about 23 degrees);
    * the weather, an AR(1) process ``w_d = 0.75 w_{d-1} + e_d`` with
      ``e_d ~ N(0, 2^2)``: warm and cold spells last a few days, and day-to-day changes
      are too large to read the season off two neighbouring days.

    Values are rounded to 0.1 degree, like a weather station's. Returns an array of
    shape ``(n_days,)``; day 0 is 1 January.
    """
    if not isinstance(n_days, (int, np.integer)) or n_days < 1:
        raise ValueError(f"n_days must be a positive integer, got {n_days!r}")
    rng = make_rng(seed)
    season = temperature_season(n_days)
    persistence, shock_std = 0.75, 2.0
    weather = np.empty(n_days)
    weather[0] = rng.normal(0.0, shock_std / np.sqrt(1 - persistence**2))  # stationary start
    shocks = rng.normal(0.0, shock_std, size=n_days)
    for d in range(1, n_days):
        weather[d] = persistence * weather[d - 1] + shocks[d]
    return np.round(season + weather, 1)


# ----------------------------------------------------------------------------------------
# Fashion-MNIST
# ----------------------------------------------------------------------------------------

FASHION_MNIST_URL = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
)
"""Zalando Research's repository. torchvision downloads the same files from
``http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/``; either works as ``base_url``."""

FASHION_MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}
"""MD5 digests of the four official files (the ones ``torchvision.datasets.FashionMNIST`` checks)."""

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

_FASHION_MNIST_SPLITS = (
    ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
)

# IDX type byte -> element type (multi-byte types are stored big-endian).
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (the format of MNIST and Fashion-MNIST), gzip-compressed or not.

    An IDX file is a 4-byte magic number, one big-endian uint32 per dimension, then the
    data in row-major order. The magic number is two zero bytes, a type byte
    (``0x08`` uint8, ``0x09`` int8, ``0x0B`` int16, ``0x0C`` int32, ``0x0D`` float32,
    ``0x0E`` float64) and the number of dimensions: ``0x00000803`` for a stack of images
    ``(m, rows, cols)``, ``0x00000801`` for a vector of labels ``(m,)``. Compression is
    recognised by the gzip signature, not the file name.

    Returns a writable array in native byte order. Raises ``ValueError`` naming the file
    when the magic number is wrong or the data does not match the dimensions in the header.
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(
                f"{path}: damaged gzip data ({err}); delete the file and download it again"
            ) from err
    if len(raw) < 4:
        raise ValueError(
            f"{path}: {len(raw)} bytes is too short for an IDX file (4-byte magic number missing)"
        )
    magic = int.from_bytes(raw[:4], "big")
    type_byte, ndim = raw[2], raw[3]
    if raw[:2] != b"\x00\x00" or type_byte not in _IDX_DTYPES or ndim == 0:
        raise ValueError(
            f"{path} is not an IDX file: bad magic number 0x{magic:08X}. An IDX file starts with two zero "
            f"bytes, a type byte (one of {', '.join(f'0x{t:02X}' for t in _IDX_DTYPES)}) and the number of "
            f"dimensions, e.g. 0x00000803 for images or 0x00000801 for labels"
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(
            f"{path}: the header announces {ndim} dimensions but the file ends after {len(raw)} bytes"
        )
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = _IDX_DTYPES[type_byte]
    expected = int(np.prod(shape)) * dtype.itemsize
    found = len(raw) - header_size
    if found != expected:
        raise ValueError(
            f"{path}: the header says shape {shape} of {dtype.name} ({expected} data bytes) "
            f"but the file holds {found} data bytes; it is truncated or damaged"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


_DIGEST_ALGORITHMS = {32: "md5", 40: "sha1", 64: "sha256"}  # hex digest length -> hashlib name


def _check_digest_format(name: str, expected: str) -> None:
    if len(expected) not in _DIGEST_ALGORITHMS or not all(
        c in "0123456789abcdefABCDEF" for c in expected
    ):
        raise ValueError(
            f"checksum {expected!r} for {name} is neither an MD5 (32 hex digits), "
            f"SHA-1 (40) nor SHA-256 (64) hex digest"
        )


def _file_digest(path: Path, expected: str) -> str:
    """Hex digest of ``path`` with the algorithm whose digest length matches ``expected``."""
    digest = hashlib.new(_DIGEST_ALGORITHMS[len(expected)], usedforsecurity=False)
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _locate_fashion_mnist(data_dir: Path) -> Path | None:
    """The folder holding the four files: ``data_dir`` or torchvision's ``FashionMNIST/raw`` in it."""
    for folder in (data_dir, data_dir / "FashionMNIST" / "raw"):
        if all((folder / name).is_file() for name in FASHION_MNIST_MD5):
            return folder
    return None


def fashion_mnist_available(data_dir: str | os.PathLike) -> bool:
    """Whether the four Fashion-MNIST ``.gz`` files are in ``data_dir`` (or in torchvision's
    ``data_dir/FashionMNIST/raw``), i.e. whether ``load_fashion_mnist`` works offline."""
    return _locate_fashion_mnist(Path(data_dir)) is not None


def download_fashion_mnist(
    data_dir: str | os.PathLike,
    base_url: str = FASHION_MNIST_URL,
    progress: bool = True,
    checksums: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download the four Fashion-MNIST files (about 30 MB) into ``data_dir`` and check them.

    Each file ``<base_url>/<name>`` is streamed into a temporary file in ``data_dir``
    (with a progress bar when ``progress`` is true), its digest is compared with
    ``checksums[name]`` (MD5, SHA-1 or SHA-256 hex digest, recognised by its length;
    default ``FASHION_MNIST_MD5``), and only then renamed to ``name`` with
    ``os.replace``: an interrupted or corrupted download never leaves a file that looks
    complete. Files already present with the right digest are not downloaded again.

    Raises ``ValueError`` naming the file, the expected and the actual digest on a
    mismatch, and ``ConnectionError`` naming the URL when the server cannot be reached.
    Returns the folder.
    """
    from tqdm.auto import tqdm

    checksums = FASHION_MNIST_MD5 if checksums is None else checksums
    missing = [name for name in FASHION_MNIST_MD5 if name not in checksums]
    if missing:
        raise KeyError(
            f"checksums has no entry for {missing}; "
            f"it needs one digest for each of {list(FASHION_MNIST_MD5)}"
        )
    for name in FASHION_MNIST_MD5:
        _check_digest_format(name, checksums[name])
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name in FASHION_MNIST_MD5:
        target, expected = folder / name, checksums[name].lower()
        if target.is_file() and _file_digest(target, expected) == expected:
            continue
        url = base_url.rstrip("/") + "/" + name
        try:
            with (
                atomic_write(target) as partial,
                urllib.request.urlopen(url, timeout=timeout) as response,
            ):
                size = response.headers.get("Content-Length")
                with tqdm(
                    total=int(size) if size else None,
                    unit="B",
                    unit_scale=True,
                    desc=name,
                    disable=not progress,
                ) as bar:
                    while chunk := response.read(1 << 16):
                        partial.write(chunk)
                        bar.update(len(chunk))
                partial.flush()
                actual = _file_digest(Path(partial.name), expected)
                if actual != expected:
                    raise ValueError(
                        f"checksum mismatch for {name} downloaded from {url}: "
                        f"expected {expected}, got {actual}"
                    )
        except urllib.error.URLError as err:
            raise ConnectionError(
                f"could not download {url}: {err.reason}. Check the network connection "
                f"and base_url, or copy the file into {folder} by hand"
            ) from err
    return folder


def load_fashion_mnist(
    data_dir: str | os.PathLike,
    download: bool = False,
    base_url: str = FASHION_MNIST_URL,
    normalize: bool = True,
    flatten: bool = True,
    checksums: dict[str, str] | None = None,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fashion-MNIST: 60000 training and 10000 test images of clothes, 28x28 grey, 10 classes.

    Reads the four official ``.gz`` files from ``data_dir`` (or torchvision's
    ``data_dir/FashionMNIST/raw``). When they are missing, ``download=True`` fetches them
    with ``download_fashion_mnist(data_dir, base_url, progress, checksums)``; otherwise a
    ``FileNotFoundError`` says how to get them. Nothing touches the network unless asked.

    Returns ``(X_train, Y_train, X_test, Y_test)``:

    * ``flatten=True`` (the course layout): ``X`` of shape ``(784, m)``, ``Y`` of shape
      ``(1, m)`` int64 with labels 0..9 (names in ``FASHION_MNIST_CLASSES``);
    * ``flatten=False`` (PyTorch's layout, ready for a ConvNet): ``X`` of shape
      ``(m, 1, 28, 28)`` and ``Y`` of shape ``(m,)``.

    ``normalize=True`` gives float32 pixels ``x / 255`` in [0, 1]; ``normalize=False``
    keeps the raw uint8 values 0..255 (a quarter of the memory).
    """
    folder = _locate_fashion_mnist(Path(data_dir))
    if folder is None:
        if not download:
            names = ", ".join(FASHION_MNIST_MD5)
            raise FileNotFoundError(
                f"Fashion-MNIST is not in {Path(data_dir).resolve()}: expected the files {names}. "
                f"Either pass download=True to fetch them (about 30 MB) from {base_url}, or download them "
                f"from there by hand and put them in that folder."
            )
        folder = download_fashion_mnist(data_dir, base_url, progress=progress, checksums=checksums)
    arrays = []
    for images_name, labels_name in _FASHION_MNIST_SPLITS:
        images, labels = read_idx(folder / images_name), read_idx(folder / labels_name)
        if images.ndim != 3 or images.shape[1:] != (28, 28):
            raise ValueError(
                f"{folder / images_name}: expected images of shape (m, 28, 28), got {images.shape}"
            )
        if labels.shape != (images.shape[0],):
            raise ValueError(
                f"{folder / labels_name}: expected {images.shape[0]} labels (one per image "
                f"in {images_name}), got an array of shape {labels.shape}"
            )
        if flatten:
            X = np.ascontiguousarray(images.reshape(images.shape[0], -1).T)
            Y = labels.astype(np.int64).reshape(1, -1)
        else:
            X = images[:, np.newaxis]
            Y = labels.astype(np.int64)
        if normalize:
            X = X.astype(np.float32) / np.float32(255)
        arrays += [X, Y]
    return tuple(arrays)


# ----------------------------------------------------------------------------------------
# The seed's cat set: an image folder
# ----------------------------------------------------------------------------------------

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"})


def _class_folder(data_root: Path, split: str, class_name: str) -> Path:
    """``data_root/split/class_name``, or the doubled ``split/split/class_name`` that the
    Kaggle archive unpacks to."""
    for folder in (data_root / split / class_name, data_root / split / split / class_name):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        f"no folder {data_root / split / class_name}: get_cat_set expects the layout "
        f"data_root/training_set/{{cats,dogs}}/ and data_root/test_set/{{cats,dogs}}/ with image files "
        f"(the Kaggle 'Cat and Dog' data set); data_root is {data_root}"
    )


def _first_images(folder: Path, count: int, argument: str) -> list[Path]:
    images = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")
    )
    if len(images) < count:
        raise ValueError(
            f"{folder} holds {len(images)} images but {argument}={count} asks for {count} "
            f"per class; pass a smaller {argument} or add images"
        )
    return images[:count]


def _images_as_columns(paths: list[Path], img_shape: tuple[int, int]) -> np.ndarray:
    """Resize every image to ``img_shape = (height, width)``, RGB, and stack them as columns."""
    from PIL import Image

    height, width = img_shape
    X = np.empty((height * width * 3, len(paths)), dtype=np.float32)
    for column, path in enumerate(paths):
        with Image.open(path) as image:
            pixels = np.asarray(
                image.convert("RGB").resize((width, height), Image.Resampling.BILINEAR)
            )
        X[:, column] = pixels.reshape(-1) / np.float32(255)
    return X


def get_cat_set(
    data_root: str | os.PathLike,
    img_shape: tuple[int, int] = (224, 224),
    train_size: int = 1000,
    test_size: int = 200,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The seed's cat-vs-dog set, read from an image folder into memory.

    Folder layout (the Kaggle "Cat and Dog" data set; its doubled
    ``training_set/training_set/...`` folders are found too)::

        data_root/training_set/cats/*.jpg   data_root/training_set/dogs/*.jpg
        data_root/test_set/cats/*.jpg       data_root/test_set/dogs/*.jpg

    ``train_size`` and ``test_size`` count images *per class*: the training set holds the
    first ``train_size`` cats and the first ``train_size`` dogs in file-name order, so
    ``m = 2 * train_size``. Every image is converted to RGB and resized to
    ``img_shape = (height, width)``.

    Returns ``(train_X, train_Y, test_X, test_Y)``: ``X`` float32 of shape
    ``(height * width * 3, m)`` with pixels in [0, 1] (each column is one image in
    row-major ``(height, width, channel)`` order), ``Y`` int64 of shape ``(1, m)``,
    1 for a cat and 0 for a dog; cats come first, so shuffle before training
    (``random_mini_batches`` does). Loading everything up front keeps disk reads out of
    the timed training loop (chapter 1's I/O experiment).
    """
    data_root = Path(data_root)
    if not data_root.is_dir():
        raise FileNotFoundError(
            f"cat set folder {data_root} does not exist; it should contain "
            f"training_set/{{cats,dogs}}/ and test_set/{{cats,dogs}}/ with image files"
        )
    if len(img_shape) != 2 or not all(
        isinstance(n, (int, np.integer)) and n > 0 for n in img_shape
    ):
        raise ValueError(
            f"img_shape must be (height, width) with positive integers, got {img_shape!r}"
        )
    sets = []
    for split, size, argument in (
        ("training_set", train_size, "train_size"),
        ("test_set", test_size, "test_size"),
    ):
        if not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"{argument} must be a positive integer, got {size!r}")
        cats = _first_images(_class_folder(data_root, split, "cats"), size, argument)
        dogs = _first_images(_class_folder(data_root, split, "dogs"), size, argument)
        X = _images_as_columns(cats + dogs, tuple(img_shape))
        Y = np.concatenate([np.ones(size, dtype=np.int64), np.zeros(size, dtype=np.int64)]).reshape(
            1, -1
        )
        sets += [X, Y]
    return tuple(sets)


def temperature_season(n_days: int = 365) -> np.ndarray:
    """The seasonal cycle behind :func:`load_temperatures`, without the weather.

    ``12 - 11 cos(2 pi (d - 20) / 365.25)`` degrees on day ``d = 0, 1, ...`` (day 0 is
    1 January): coldest on day index 20 (21 January, about 1 degree), warmest half a year
    later, on day index 202.6 (22-23 July, about 23 degrees). Chapter 2 compares the peaks of its
    averages with this curve's. Returns an array of shape ``(n_days,)``.
    """
    if not isinstance(n_days, (int, np.integer)) or n_days < 1:
        raise ValueError(f"n_days must be a positive integer, got {n_days!r}")
    days = np.arange(n_days)
    return 12.0 - 11.0 * np.cos(2 * np.pi * (days - 20) / 365.25)
