#!/usr/bin/env python3
"""Regenerates every golden under test/golden/ from PyTorch.

Run with Debian's python3-torch (PyTorch 1.13, CPU):
    /usr/bin/python3 test/golden/make_goldens.py
Each gen_<topic>.py beside this file writes test/golden/<topic>/*.npy with
fixed inputs (seeded numpy, never ember), so ember's results are compared
with an independent implementation. Goldens are kept small (a few KB each).
"""
import importlib.util
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main():
    gens = sorted(HERE.glob("gen_*.py"))
    for g in gens:
        spec = importlib.util.spec_from_file_location(g.stem, g)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out = HERE / g.stem[len("gen_"):]
        out.mkdir(exist_ok=True)
        for old in out.glob("*.npy"):
            old.unlink()
        n = mod.generate(out)
        print(f"{g.name}: {n} arrays -> {out.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
