#!/usr/bin/python3
"""Fine-tune Clearway's scan detector (an ONNX file written by train_threat_detector.py) on threat image
projection whose real bags are also mirrored and turned by a right angle at random.

The detector trained from scratch learns the dozen real training bags in the one pose they were scanned
in and calls the same kind of clutter a gun in a new bag; mirrored and turned bags, and then looking at a
scan and its mirror images at serving time, make it look at the object instead (docs/xray.md, Detection).

The ONNX file holds the convolutions with their batch norm folded in, so the network is rebuilt with
biased convolutions and no batch norm, loaded layer by layer, trained with AdamW on a cosine schedule,
and exported again in the same layout. Shipped detector:

  python3 scripts/xray/finetune_threat_detector.py --init <work>/detector/model.onnx \
      --dataset <work>/detector --out models/xray/threat-detector.onnx --epochs 6
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_threat_detector as base  # noqa: E402


class FoldedConv(nn.Module):
    """A convolution whose batch norm was folded into its weights and bias, then ReLU."""

    def __init__(self, inputs, outputs, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=True)

    def forward(self, x):
        return F.relu(self.conv(x))


def mirrored_real_background(self):
    """base.ProjectionSampler.real_background on a real scan mirrored and turned at random."""
    image, boxes, classes = self.scans[int(self.rng.integers(len(self.scans)))]
    boxes = [list(box) for box in boxes]
    if self.rng.random() < 0.5:
        image = image.flip(1)
        boxes = [[image.shape[1] - x1, y0, image.shape[1] - x0, y1] for x0, y0, x1, y1 in boxes]
    if self.rng.random() < 0.5:
        image = image.flip(0)
        boxes = [[x0, image.shape[0] - y1, x1, image.shape[0] - y0] for x0, y0, x1, y1 in boxes]
    if self.rng.random() < 0.5:
        image = image.t().contiguous()
        boxes = [[y0, x0, y1, x1] for x0, y0, x1, y1 in boxes]
    height, width = image.shape
    scale = self.size / max(width, height) * self.uniform(0.6, 1.0)
    new_w, new_h = max(8, int(width * scale)), max(8, int(height * scale))
    resized = F.interpolate(image[None, None], size=(new_h, new_w), mode="area")[0, 0]
    left = int(self.rng.integers(0, self.size - new_w + 1))
    top = int(self.rng.integers(0, self.size - new_h + 1))
    canvas = torch.zeros(self.size, self.size)
    canvas[top : top + new_h, left : left + new_w] = resized
    valid = torch.zeros(self.size, self.size, dtype=torch.bool)
    valid[top : top + new_h, left : left + new_w] = True
    placed = [[left + x0 * scale, top + y0 * scale, left + x1 * scale, top + y1 * scale] for x0, y0, x1, y1 in boxes]
    return canvas, valid, placed, list(classes)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--init", required=True, help="detector ONNX file to start from")
    parser.add_argument("--dataset", required=True, help="the detector step's folder (as train_threat_detector.py)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--samples-per-epoch", type=int, default=384)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=5e-4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    arguments = parser.parse_args()
    base.conv = FoldedConv
    base.ProjectionSampler.real_background = mirrored_real_background
    torch.manual_seed(arguments.seed)
    torch.set_num_threads(arguments.threads)
    rng = np.random.default_rng(arguments.seed)
    size = 160
    sampler = base.ProjectionSampler(arguments.dataset, size, rng)
    classes = len(sampler.labels)
    detector = base.ThreatDetector(classes)
    model = onnx.load(arguments.init)
    initialisers = {item.name: numpy_helper.to_array(item) for item in model.graph.initializer}
    folded = [(node.input[1], node.input[2]) for node in model.graph.node if node.op_type == "Conv"]
    convolutions = [module for module in detector.modules() if isinstance(module, nn.Conv2d)]
    if len(folded) != len(convolutions):
        sys.exit(f"{arguments.init} has {len(folded)} convolutions, the detector {len(convolutions)}")
    with torch.no_grad():
        for convolution, (weight, bias) in zip(convolutions, folded):
            convolution.weight.copy_(torch.from_numpy(initialisers[weight].copy()))
            convolution.bias.copy_(torch.from_numpy(initialisers[bias].copy()))
    optimiser = torch.optim.AdamW(detector.parameters(), lr=arguments.learning_rate, weight_decay=5e-4)
    steps = math.ceil(arguments.samples_per_epoch / arguments.batch_size)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, arguments.epochs * steps)
    started = time.time()
    for epoch in range(arguments.epochs):
        detector.train()
        total = 0.0
        for _ in range(steps):
            pictures, cls_targets, box_targets, positives = [], [], [], []
            for _ in range(arguments.batch_size):
                transmission, boxes, labels = sampler.sample()
                cls, box, positive = base.targets_for(boxes, labels, classes, size)
                pictures.append(transmission)
                cls_targets.append(cls)
                box_targets.append(box)
                positives.append(positive)
            attenuation = -torch.log(torch.stack(pictures)[:, None].clamp(1 / 256, 1)) / base.LOG_256
            loss = base.detection_loss(
                detector.raw(attenuation), torch.stack(cls_targets), torch.stack(box_targets), torch.stack(positives), classes, size
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss)
        print(f"epoch {epoch + 1}/{arguments.epochs} loss {total / steps:.4f} ({time.time() - started:.0f} s)", flush=True)
    detector.eval()
    torch.onnx.export(
        base.ExportedDetector(detector, size),
        torch.full((1, 3, size, size), 1.0),
        arguments.out,
        input_names=["transmission"],
        output_names=["detections"],
        opset_version=13,
        **base.legacy_exporter(),
    )
    report = {"onnx": arguments.out, "init": arguments.init, "labels": sampler.labels, "size": size, "seconds": round(time.time() - started, 1), "torch": torch.__version__, "threads": arguments.threads}
    with open(arguments.out + ".json", "w") as file:
        json.dump(report, file)
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
