"""Goldens for data_test.cpp: torchvision's ToTensor / Normalize /
horizontal flip / constant padding, written out with plain torch (the same
code torchvision runs on tensors and ndarrays)."""
import torch
import torch.nn.functional as F

from golden_util import Writer, rng


def generate(out):
    w = Writer(out)
    r = rng(7)
    hwc = r.integers(0, 256, size=(4, 5, 3), dtype="uint8")
    hw = r.integers(0, 256, size=(3, 4), dtype="uint8")
    w.save("hwc", hwc)
    w.save("hw", hw)
    # torchvision.transforms.functional.to_tensor on an ndarray
    chw = torch.from_numpy(hwc).permute(2, 0, 1).contiguous().float().div(255)
    w.save("to_tensor_hwc", chw)
    w.save("to_tensor_hw",
           torch.from_numpy(hw)[None].contiguous().float().div(255))
    mean = torch.tensor([0.485, 0.456, 0.406])
    std = torch.tensor([0.229, 0.224, 0.225])
    w.save("normalize", (chw - mean[:, None, None]) / std[:, None, None])
    w.save("flip", torch.flip(chw, [-1]))
    w.save("pad2", F.pad(chw, (2, 2, 2, 2), value=0.0))
    return w.count
