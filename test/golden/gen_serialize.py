"""A safetensors file written by hand (struct + json, as the reference
huggingface/safetensors lays it out: 8-byte little-endian header length,
JSON header padded with spaces to 8 bytes, tensors sorted by dtype size then
name, as its Dtype enum orders them), plus the same arrays as .npy for the C++ test to compare with.
The python safetensors package is not needed."""
import json
import struct

import numpy as np

from golden_util import Writer, rng

DTYPES = {np.float32: "F32", np.float64: "F64", np.int32: "I32",
          np.int64: "I64", np.uint8: "U8", np.bool_: "BOOL"}


# The reference's Dtype enum order (data is sorted by it, descending).
RANK = {"BOOL": 0, "U8": 1, "I32": 2, "F32": 3, "F64": 4, "I64": 5}


def write_safetensors(path, arrays, metadata):
    items = sorted(arrays.items(),
                   key=lambda kv: (-RANK[DTYPES[kv[1].dtype.type]], kv[0]))
    header = {"__metadata__": metadata}
    data = b""
    for name, a in items:
        b = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype.type], "shape": list(a.shape),
                        "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


def generate(out):
    w = Writer(out)
    r = rng(4)
    arrays = {
        "weight": r.standard_normal((3, 4)).astype(np.float32),
        "bias": r.standard_normal(3),
        "ids": r.integers(-100, 100, (2, 3)).astype(np.int32),
        "steps": np.array(7, dtype=np.int64),
        "pixels": r.integers(0, 256, (5,)).astype(np.uint8),
        "mask": r.integers(0, 2, (2, 2)).astype(np.bool_),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "count": np.array([1, 2], dtype=np.int64),
    }
    write_safetensors(out / "ref.safetensors", arrays,
                      {"format": "pt", "note": "caf\u00e9 \"q\""})
    for name, a in arrays.items():
        w.save(name, a)
    return w.count
