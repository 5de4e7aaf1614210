#!/usr/bin/python3
"""Train Clearway's whole-scan threat detector (a small single-stage network with a box head) on threat
image projection, and export it to ONNX.

Training-time tool only: serving stays in Node (onnxruntime-node). Node prepares the data
(`clearway xray train --scans ...`) so that training and serving share one preprocessing:
  <dataset>/inputs.f32 + dataset.json    the labelled crops (size x size attenuation, train flag)
  <dataset>/scans.f32 + scans.json       boxed training scans (attenuation, longer side `scan_side`)

Threat image projection (TIP), as screener-testing systems do it: isolated threat crops, turned and
scaled at random, are added in attenuation (Beer-Lambert: attenuations of overlapping objects add) into
real baggage scans and into synthetic bags packed with no-threat crops; the box of a projected threat is
exact because we placed it. The real boxed scans are learnt from as they are too.

The exported model reads what Clearway's YOLO adapter feeds any detector, [1, 3, S, S] transmission in
0..1 letterboxed with grey 114/255, and returns [1, 4 + classes, cells] in the YOLOv8 layout (centre x,
centre y, width, height in input pixels, then per-class probabilities).
"""
import argparse
import inspect
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LETTERBOX_GREY = 114 / 255
LOG_256 = math.log(256)
STRIDE = 16


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", required=True, help="folder with inputs.f32, dataset.json, scans.f32, scans.json")
    parser.add_argument("--out", required=True, help="ONNX file to write")
    parser.add_argument("--size", type=int, default=160, help="side of the square detector input")
    parser.add_argument("--epochs", type=int, default=24)
    parser.add_argument("--samples-per-epoch", type=int, default=384)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--real-share", type=float, default=0.4, help="share of pictures drawn on a real scan")
    parser.add_argument("--real-scale", type=float, default=0.6, help="smallest scale of a real scan on the canvas")
    return parser.parse_args()


def conv(inputs, outputs, stride=1):
    return nn.Sequential(
        nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(outputs),
        nn.ReLU(inplace=True),
    )


class ThreatDetector(nn.Module):
    """Five stride-2 stages; the stride-32 context is upsampled onto the stride-16 map (a two-level
    feature pyramid), where one head per cell predicts class scores and the distances from the cell's
    centre to the four sides of the object's box (FCOS-style, anchor free)."""

    def __init__(self, classes):
        super().__init__()
        self.classes = classes
        self.stem = nn.Sequential(conv(1, 16, 2), conv(16, 24, 2), conv(24, 24))
        self.stage3 = nn.Sequential(conv(24, 40, 2), conv(40, 40))
        self.stage4 = nn.Sequential(conv(40, 64, 2), conv(64, 64))
        self.stage5 = nn.Sequential(conv(64, 96, 2), conv(96, 96))
        self.merge = conv(64 + 96, 64)
        self.head = nn.Conv2d(64, classes + 4, 1)
        nn.init.constant_(self.head.bias[:classes], -4.0)

    def raw(self, attenuation):
        c4 = self.stage4(self.stage3(self.stem(attenuation)))
        c5 = self.stage5(c4)
        merged = self.merge(torch.cat([c4, F.interpolate(c5, size=c4.shape[-2:], mode="nearest")], dim=1))
        return self.head(merged)


class ExportedDetector(nn.Module):
    """Transmission in, YOLOv8-layout boxes and probabilities out (see the module docstring)."""

    def __init__(self, detector, size):
        super().__init__()
        self.detector = detector
        cells = size // STRIDE
        centres = (torch.arange(cells, dtype=torch.float32) + 0.5) * STRIDE
        self.register_buffer("centre_x", centres.view(1, -1).expand(cells, cells).reshape(1, -1))
        self.register_buffer("centre_y", centres.view(-1, 1).expand(cells, cells).reshape(1, -1))

    def forward(self, transmission):
        attenuation = -torch.log(transmission.mean(dim=1, keepdim=True).clamp(1 / 256, 1)) / LOG_256
        raw = self.detector.raw(attenuation).flatten(2)
        classes = self.detector.classes
        distances = F.softplus(raw[:, classes:]) * STRIDE
        left, top, right, bottom = distances[:, 0], distances[:, 1], distances[:, 2], distances[:, 3]
        centre_x = self.centre_x + (right - left) / 2
        centre_y = self.centre_y + (bottom - top) / 2
        boxes = torch.stack([centre_x, centre_y, left + right, top + bottom], dim=1)
        return torch.cat([boxes, torch.sigmoid(raw[:, :classes])], dim=1)


def rotate_scale(image, angle, scale, flip, out_side):
    """Turns, mirrors and scales a square attenuation map onto an out_side x out_side map (air = 0)."""
    cos, sin = math.cos(angle) / scale, math.sin(angle) / scale
    theta = torch.tensor([[cos * flip, -sin, 0.0], [sin * flip, cos, 0.0]], dtype=torch.float32).unsqueeze(0)
    grid = F.affine_grid(theta, (1, 1, out_side, out_side), align_corners=False)
    return F.grid_sample(image[None, None], grid, mode="bilinear", padding_mode="zeros", align_corners=False)[0, 0]


def object_of(crop):
    """The object of an isolated crop on air: attenuation above the crop's border level."""
    border = torch.cat([crop[0], crop[-1], crop[:, 0], crop[:, -1]]).median()
    return (crop - border).clamp(min=0)


def tight_box(layer, level=0.12):
    """Box of the pixels carrying a projected object: what an annotator would draw."""
    mask = layer > level * float(layer.max())
    ys = torch.nonzero(mask.any(dim=1)).flatten()
    xs = torch.nonzero(mask.any(dim=0)).flatten()
    if len(xs) == 0:
        return None
    return [float(xs[0]), float(ys[0]), float(xs[-1] + 1), float(ys[-1] + 1)]


class ProjectionSampler:
    """Draws training pictures: a background (a real scan or a synthetic bag) with 0 to 2 threats
    projected into it, letterboxed as the adapter does, with exact boxes."""

    def __init__(self, dataset, size, rng, real_share=0.4, real_scale=0.6):
        self.size = size
        self.rng = rng
        self.real_share = real_share
        self.real_scale = real_scale
        with open(os.path.join(dataset, "dataset.json")) as file:
            meta = json.load(file)
        crop_side = meta["size"]
        crops = np.fromfile(os.path.join(dataset, "inputs.f32"), dtype="<f4").reshape(-1, crop_side, crop_side)
        samples = meta["samples"]
        self.labels = [label for label in meta["labels"] if label != "other"]
        self.threats, self.clutter = [], []
        for crop, sample in zip(crops, samples):
            if not sample["train"]:
                continue
            tensor = torch.from_numpy(crop.copy())
            border = torch.cat([tensor[0], tensor[-1], tensor[:, 0], tensor[:, -1]]).median()
            if sample["label"] == "other":
                self.clutter.append(object_of(tensor))
            elif float(border) < 0.08:
                # Only crops of an object on air can be projected with an exact box; crops cut from bags
                # carry their bag with them.
                self.threats.append((self.labels.index(sample["label"]), object_of(tensor)))
        with open(os.path.join(dataset, "scans.json")) as file:
            scan_meta = json.load(file)
        flat = np.fromfile(os.path.join(dataset, "scans.f32"), dtype="<f4")
        self.scans, offset = [], 0
        for scan in scan_meta["scans"]:
            width, height = scan["width"], scan["height"]
            image = torch.from_numpy(flat[offset : offset + width * height].reshape(height, width).copy())
            offset += width * height
            boxes = [[box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]] for box in scan["boxes"]]
            self.scans.append((image, boxes, [self.labels.index(box["label"]) for box in scan["boxes"]]))
        print(
            f"projection: {len(self.threats)} isolated threat crops, {len(self.clutter)} clutter crops, "
            f"{len(self.scans)} boxed scans",
            flush=True,
        )

    def uniform(self, low, high):
        return low + (high - low) * float(self.rng.random())

    def real_background(self):
        """A real scan with its own boxed threats, mirrored and turned by a right angle at random (a bag lies
        any way round on the belt, and a dozen bags in one pose teach the network those bags' clutter),
        scaled into part of the canvas, the rest letterbox."""
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
        scale = self.size / max(width, height) * self.uniform(self.real_scale, 1.0)
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

    def synthetic_background(self):
        """A bag: a soft envelope and a few no-threat objects, overlapping as they do in real bags."""
        size = self.size
        canvas = torch.zeros(size, size)
        ys, xs = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32), indexing="ij")
        cx, cy = self.uniform(0.35, 0.65) * size, self.uniform(0.35, 0.65) * size
        rx, ry = self.uniform(0.25, 0.48) * size, self.uniform(0.25, 0.48) * size
        inside = (((xs - cx) / rx) ** 4 + ((ys - cy) / ry) ** 4) < 1
        canvas += inside.float() * self.uniform(0.02, 0.15)
        for _ in range(int(self.rng.integers(2, 8))):
            clutter = self.clutter[int(self.rng.integers(len(self.clutter)))]
            self.add_object(canvas, clutter, self.uniform(0.2, 0.7))
        width = int(size * self.uniform(0.7, 1.0))
        height = int(size * self.uniform(0.7, 1.0))
        left, top = int(self.rng.integers(0, size - width + 1)), int(self.rng.integers(0, size - height + 1))
        valid = torch.zeros(size, size, dtype=torch.bool)
        valid[top : top + height, left : left + width] = True
        return canvas * valid, valid, [], []

    def add_object(self, canvas, crop, extent):
        """Adds a turned, scaled object at a random place; returns the added layer."""
        side = max(8, int(self.size * extent))
        layer = rotate_scale(crop, self.uniform(0, 2 * math.pi), self.uniform(0.8, 1.0), 1 if self.rng.random() < 0.5 else -1, side)
        layer = layer * self.uniform(0.6, 1.3)
        left = int(self.rng.integers(-side // 4, self.size - side + side // 4 + 1))
        top = int(self.rng.integers(-side // 4, self.size - side + side // 4 + 1))
        full = torch.zeros(self.size, self.size)
        x0, y0 = max(0, left), max(0, top)
        x1, y1 = min(self.size, left + side), min(self.size, top + side)
        full[y0:y1, x0:x1] = layer[y0 - top : y1 - top, x0 - left : x1 - left]
        canvas += full
        return full

    def sample(self):
        canvas, valid, boxes, classes = self.real_background() if self.rng.random() < self.real_share else self.synthetic_background()
        count = int(self.rng.choice([0, 1, 1, 1, 2]))
        for _ in range(count):
            label, crop = self.threats[int(self.rng.integers(len(self.threats)))]
            layer = self.add_object(canvas, crop, self.uniform(0.22, 0.6))
            visible = layer * valid
            box = tight_box(visible)
            # A threat mostly outside the picture would be a threat without a box: take it out again.
            if box is None or float(visible.sum()) < 0.7 * float(layer.sum()) or min(box[2] - box[0], box[3] - box[1]) < 8:
                canvas -= layer
                continue
            canvas -= layer * (~valid)
            boxes.append(box)
            classes.append(label)
        gain, gamma = self.uniform(0.75, 1.3), self.uniform(0.8, 1.25)
        canvas = (canvas * gain).clamp(0, 1) ** gamma
        transmission = torch.exp(-canvas * LOG_256)
        transmission = transmission + self.uniform(0, 0.02) * torch.randn(transmission.shape)
        transmission = torch.where(valid, transmission.clamp(1 / 256, 1), torch.tensor(LETTERBOX_GREY))
        return transmission, boxes, classes


def targets_for(boxes, classes, class_count, size):
    """Per cell: class targets, and the box of the object whose centre region holds the cell (FCOS
    centre sampling, radius 1.5 cells; the smaller box wins a cell two objects claim)."""
    cells = size // STRIDE
    cls = torch.zeros(class_count, cells, cells)
    box_target = torch.zeros(4, cells, cells)
    positive = torch.zeros(cells, cells, dtype=torch.bool)
    area_taken = torch.full((cells, cells), float("inf"))
    for (x0, y0, x1, y1), label in zip(boxes, classes):
        centre_x, centre_y = (x0 + x1) / 2, (y0 + y1) / 2
        area = (x1 - x0) * (y1 - y0)
        for gy in range(cells):
            for gx in range(cells):
                px, py = (gx + 0.5) * STRIDE, (gy + 0.5) * STRIDE
                near_centre = abs(px - centre_x) <= 1.5 * STRIDE and abs(py - centre_y) <= 1.5 * STRIDE
                if not (near_centre and x0 < px < x1 and y0 < py < y1) or area >= area_taken[gy, gx]:
                    continue
                area_taken[gy, gx] = area
                positive[gy, gx] = True
                cls[:, gy, gx] = 0
                cls[label, gy, gx] = 1
                box_target[:, gy, gx] = torch.tensor([x0, y0, x1, y1])
    return cls, box_target, positive


def generalised_iou(predicted, target):
    """GIoU of [n, 4] x0 y0 x1 y1 boxes."""
    x0 = torch.max(predicted[:, 0], target[:, 0])
    y0 = torch.max(predicted[:, 1], target[:, 1])
    x1 = torch.min(predicted[:, 2], target[:, 2])
    y1 = torch.min(predicted[:, 3], target[:, 3])
    intersection = (x1 - x0).clamp(min=0) * (y1 - y0).clamp(min=0)
    area = lambda box: (box[:, 2] - box[:, 0]) * (box[:, 3] - box[:, 1])
    union = area(predicted) + area(target) - intersection
    iou = intersection / union.clamp(min=1e-6)
    hull = (torch.max(predicted[:, 2], target[:, 2]) - torch.min(predicted[:, 0], target[:, 0])) * (
        torch.max(predicted[:, 3], target[:, 3]) - torch.min(predicted[:, 1], target[:, 1])
    )
    return iou - (hull - union) / hull.clamp(min=1e-6)


def detection_loss(raw, cls_target, box_target, positive, class_count, size):
    cls_logits = raw[:, :class_count]
    probability = torch.sigmoid(cls_logits)
    # Focal loss: the many easy background cells do not drown the few object cells.
    bce = F.binary_cross_entropy_with_logits(cls_logits, cls_target, reduction="none")
    weight = (cls_target - probability).abs() ** 2
    positives = max(1, int(positive.sum()))
    cls_loss = (bce * weight).sum() / positives
    if not positive.any():
        return cls_loss
    cells = size // STRIDE
    centres = (torch.arange(cells, dtype=torch.float32) + 0.5) * STRIDE
    centre_x = centres.view(1, 1, -1).expand(raw.shape[0], cells, cells)
    centre_y = centres.view(1, -1, 1).expand(raw.shape[0], cells, cells)
    distances = F.softplus(raw[:, class_count:]) * STRIDE
    predicted = torch.stack(
        [centre_x - distances[:, 0], centre_y - distances[:, 1], centre_x + distances[:, 2], centre_y + distances[:, 3]],
        dim=1,
    )
    chosen = positive
    pred_boxes = predicted.permute(0, 2, 3, 1)[chosen]
    true_boxes = box_target.permute(0, 2, 3, 1)[chosen]
    box_loss = (1 - generalised_iou(pred_boxes, true_boxes)).mean()
    return cls_loss + 2.0 * box_loss


def legacy_exporter():
    """The TorchScript exporter on every torch version: Debian's 1.13 has no other, and newer versions'
    default (dynamo) exporter cannot write opset 13, which Clearway's ONNX Runtime reads."""
    return {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def main():
    arguments = parse_arguments()
    torch.manual_seed(arguments.seed)
    torch.set_num_threads(arguments.threads)
    rng = np.random.default_rng(arguments.seed)
    size = arguments.size
    sampler = ProjectionSampler(arguments.dataset, size, rng, arguments.real_share, arguments.real_scale)
    class_count = len(sampler.labels)
    detector = ThreatDetector(class_count)
    optimiser = torch.optim.AdamW(detector.parameters(), lr=arguments.learning_rate, weight_decay=5e-4)
    steps_per_epoch = math.ceil(arguments.samples_per_epoch / arguments.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=arguments.learning_rate, total_steps=arguments.epochs * steps_per_epoch, pct_start=0.15
    )
    started = time.time()
    for epoch in range(arguments.epochs):
        detector.train()
        total = 0.0
        for _ in range(steps_per_epoch):
            pictures, cls_targets, box_targets, positives = [], [], [], []
            for _ in range(arguments.batch_size):
                transmission, boxes, classes = sampler.sample()
                cls, box, positive = targets_for(boxes, classes, class_count, size)
                pictures.append(transmission)
                cls_targets.append(cls)
                box_targets.append(box)
                positives.append(positive)
            transmission = torch.stack(pictures)[:, None]
            attenuation = -torch.log(transmission.clamp(1 / 256, 1)) / LOG_256
            raw = detector.raw(attenuation)
            loss = detection_loss(raw, torch.stack(cls_targets), torch.stack(box_targets), torch.stack(positives), class_count, size)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss)
        print(f"epoch {epoch + 1}/{arguments.epochs} loss {total / steps_per_epoch:.4f} ({time.time() - started:.0f} s)", flush=True)

    detector.eval()
    exported = ExportedDetector(detector, size)
    torch.onnx.export(
        exported,
        torch.full((1, 3, size, size), 1.0),
        arguments.out,
        input_names=["transmission"],
        output_names=["detections"],
        opset_version=13,
        **legacy_exporter(),
    )
    report = {"onnx": arguments.out, "labels": sampler.labels, "size": size, "seconds": round(time.time() - started, 1), "torch": torch.__version__, "threads": arguments.threads}
    # Beside the ONNX file: which torch trained it and how long it took, for the model manifest.
    with open(arguments.out + ".json", "w") as file:
        json.dump(report, file)
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
