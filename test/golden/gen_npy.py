"""numpy-written .npy files the loader must read or reject."""
import numpy as np


def generate(out):
    np.save(out / "fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)))
    np.save(out / "big_endian.npy", np.arange(3, dtype=">f4"))
    np.save(out / "complex.npy", np.arange(3, dtype=np.complex64))
    return 3
