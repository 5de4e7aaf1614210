#!/usr/bin/python3
"""Train Clearway's X-ray threat crop classifier (a small CNN) and export it to ONNX.

Training-time tool only: serving stays in Node (onnxruntime-node). Inputs are prepared by Node
(`clearway xray train`), so training and serving share one preprocessing: <dataset>/inputs.f32 holds
N x size x size float32 attenuation maps, <dataset>/dataset.json their labels and the train flag.

Run through `npx clearway xray train --engine torch ...`, which writes the dataset and calls this script
with Debian's /usr/bin/python3 (python3-torch 1.13).
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


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", required=True, help="folder with inputs.f32 and dataset.json")
    parser.add_argument("--out", required=True, help="ONNX file to write")
    parser.add_argument("--epochs", type=int, default=90)
    parser.add_argument("--batch-size", type=int, default=48)
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--width", type=int, default=16, help="channels of the first convolution")
    parser.add_argument("--train-size", type=int, default=64, help="side the net sees: the input is averaged down to it")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--mining-every", type=int, default=5, help="epochs between hard-negative mining rounds")
    return parser.parse_args()


class ThreatNet(nn.Module):
    """Four conv blocks on a 64 px picture (the first at stride 2), then global average and max pooling:
    0.1 M weights, five times cheaper than five blocks on 128 px, so the train command fits two CPU cores
    shared with other work, and translation-tolerant so the same net scores sliding windows and detector
    proposals. 64 px still shows a razor blade's outline and centre slot; its serrations were not what
    told it from clutter."""

    def __init__(self, classes, width):
        super().__init__()
        channels = [1, width, width * 2, width * 4, width * 8]
        blocks = []
        for index in range(4):
            blocks += [
                nn.Conv2d(channels[index], channels[index + 1], 3, stride=2 if index == 0 else 1, padding=1, bias=False),
                nn.BatchNorm2d(channels[index + 1]),
                nn.ReLU(inplace=True),
            ]
            if index < 3:
                blocks.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(channels[-1] * 2, classes)

    def forward(self, x):
        x = self.features(x)
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.head(self.dropout(pooled))


class WithSoftmax(nn.Module):
    """Exported wrapper: the ONNX file takes the 128 px model input Clearway prepares, averages it down to
    the net's side and returns class probabilities, so any runtime can use it as is."""

    def __init__(self, net, factor):
        super().__init__()
        self.net = net
        self.factor = factor

    def forward(self, x):
        if self.factor > 1:
            x = F.avg_pool2d(x, self.factor)
        return torch.softmax(self.net(x), dim=1)


def random_affine(batch, generator, zoom=(0.85, 1.25), shift=0.12):
    """Rotations by any angle, mirror images, zoom and shift: bags hold objects in every pose."""
    count = batch.shape[0]
    angle = torch.rand(count, generator=generator) * 2 * math.pi
    scale = torch.empty(count).uniform_(zoom[0], zoom[1], generator=generator)
    flip = torch.where(torch.rand(count, generator=generator) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    theta = torch.zeros(count, 2, 3)
    theta[:, 0, 0] = cos * flip
    theta[:, 0, 1] = -sin
    theta[:, 1, 0] = sin * flip
    theta[:, 1, 1] = cos
    theta[:, :, 2] = torch.empty(count, 2).uniform_(-shift, shift, generator=generator)
    grid = F.affine_grid(theta, batch.shape, align_corners=False)
    return F.grid_sample(batch, grid, mode="bilinear", padding_mode="border", align_corners=False)


def augment(batch, clear, clutter_pool, generator):
    """Pose, clutter, exposure and noise changes. Clutter is added in attenuation (Beer-Lambert: the
    attenuations of overlapping objects add), taken from no-threat crops, to turn isolated objects into
    objects in a packed bag. Half the no-threat crops (`clear`) are also shown as a window of 35 to 85 %
    of themselves: parts of clutter (a cable, a hinge, a zip) are what a new bag shows most, and what the
    net took for blades and guns."""
    count = batch.shape[0]
    x = random_affine(batch, generator)
    window = clear & (torch.rand(count, generator=generator) < 0.5)
    if window.any():
        x[window] = random_affine(batch[window], generator, zoom=(0.35, 0.85), shift=0.35)
    if clutter_pool is not None and len(clutter_pool) > 0:
        chosen = torch.randint(len(clutter_pool), (count,), generator=generator)
        clutter = random_affine(clutter_pool[chosen], generator, zoom=(0.7, 1.4), shift=0.3)
        weight = torch.empty(count, 1, 1, 1).uniform_(0.15, 0.8, generator=generator)
        apply = (torch.rand(count, 1, 1, 1, generator=generator) < 0.5).float()
        x = x + apply * weight * clutter
    gain = torch.empty(count, 1, 1, 1).uniform_(0.7, 1.35, generator=generator)
    gamma = torch.empty(count, 1, 1, 1).uniform_(0.8, 1.25, generator=generator)
    x = (x * gain).clamp(0, 1) ** gamma
    blur = (torch.rand(count, 1, 1, 1, generator=generator) < 0.2).float()
    x = blur * F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False) + (1 - blur) * x
    noise = torch.empty(count, 1, 1, 1).uniform_(0.0, 0.03, generator=generator)
    x = x + noise * torch.randn(x.shape, generator=generator)
    return x.clamp(0, 1)


def mine_hard_negatives(net, train_x, clear_rows, no_threat, series_weight):
    """Hard-negative mining: no-threat crops (bag clutter, scan windows) that the net currently takes for
    a threat are drawn up to four times as often, so it learns the clutter it confuses rather than the
    clutter it already knows."""
    net.eval()
    with torch.no_grad():
        clear_probability = torch.cat(
            [torch.softmax(net(train_x[clear_rows[start : start + 256]]), dim=1)[:, no_threat] for start in range(0, len(clear_rows), 256)]
        )
    weight = series_weight.clone()
    weight[clear_rows] *= 1.0 + 3.0 * (1.0 - clear_probability.double())
    hard = int((clear_probability < 0.5).sum())
    print(f"hard-negative mining: {hard} of {len(clear_rows)} no-threat crops taken for threats", flush=True)
    return weight


def balanced_accuracy(truth, predicted, classes):
    recalls = [float((predicted[truth == c] == c).mean()) for c in range(classes) if (truth == c).any()]
    return sum(recalls) / len(recalls)


def legacy_exporter():
    """The TorchScript exporter on every torch version: Debian's 1.13 has no other, and newer versions'
    default (dynamo) exporter cannot write opset 13, which Clearway's ONNX Runtime reads."""
    return {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def main():
    arguments = parse_arguments()
    torch.manual_seed(arguments.seed)
    np.random.seed(arguments.seed)
    torch.set_num_threads(arguments.threads)
    generator = torch.Generator().manual_seed(arguments.seed)

    with open(os.path.join(arguments.dataset, "dataset.json")) as file:
        meta = json.load(file)
    size = meta["size"]
    labels = meta["labels"]
    samples = meta["samples"]
    inputs = np.fromfile(os.path.join(arguments.dataset, "inputs.f32"), dtype="<f4").reshape(len(samples), 1, size, size)
    factor = max(1, size // arguments.train_size)
    # Averaged down once here, as the exported model does at its input, so augmentation runs at 64 px too.
    inputs = F.avg_pool2d(torch.from_numpy(inputs), factor).numpy() if factor > 1 else inputs
    targets = np.array([labels.index(sample["label"]) for sample in samples])
    is_train = np.array([bool(sample["train"]) for sample in samples])
    train_x = torch.from_numpy(inputs[is_train].copy())
    train_y = torch.from_numpy(targets[is_train])
    held_x = torch.from_numpy(inputs[~is_train].copy())
    held_y = targets[~is_train]
    no_threat = labels.index("other") if "other" in labels else None
    clutter_pool = train_x[train_y == no_threat] if no_threat is not None else None

    counts = torch.bincount(train_y, minlength=len(labels)).float()
    # Each source series weighs the same: the cluttered-bag series (B0079..B0082) are half the size of the
    # isolated-object ones but are what real parcels look like. With two series per class this also
    # balances the classes.
    series = [sample["series"] for sample, train in zip(samples, is_train) if train]
    series_size = {name: series.count(name) for name in set(series)}
    series_weight = torch.tensor([1.0 / series_size[name] for name in series], dtype=torch.double)
    sample_weight = series_weight.clone()
    clear_rows = torch.nonzero(train_y == no_threat).flatten() if no_threat is not None else torch.zeros(0, dtype=torch.long)
    net = ThreatNet(len(labels), arguments.width)
    optimiser = torch.optim.AdamW(net.parameters(), lr=arguments.learning_rate, weight_decay=5e-4)
    steps_per_epoch = math.ceil(len(train_x) / arguments.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=arguments.learning_rate, total_steps=arguments.epochs * steps_per_epoch, pct_start=0.2
    )
    print(f"training on {len(train_x)} crops ({dict(zip(labels, counts.int().tolist()))}), holding out {len(held_x)}", flush=True)
    started = time.time()
    for epoch in range(arguments.epochs):
        if epoch >= arguments.epochs // 3 and epoch % arguments.mining_every == 0 and len(clear_rows) > 0:
            sample_weight = mine_hard_negatives(net, train_x, clear_rows, no_threat, series_weight)
        net.train()
        order = torch.multinomial(sample_weight, len(train_x), replacement=True, generator=generator)
        total_loss = 0.0
        for start in range(0, len(order), arguments.batch_size):
            index = order[start : start + arguments.batch_size]
            batch = augment(train_x[index], train_y[index] == no_threat, clutter_pool, generator)
            loss = F.cross_entropy(net(batch), train_y[index], label_smoothing=0.05)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total_loss += float(loss) * len(index)
        line = f"epoch {epoch + 1}/{arguments.epochs} loss {total_loss / len(train_x):.4f} ({time.time() - started:.0f} s)"
        if len(held_x) > 0 and ((epoch + 1) % 5 == 0 or epoch + 1 == arguments.epochs):
            net.eval()
            with torch.no_grad():
                predicted = net(held_x).argmax(1).numpy()
            line += f" held-out balanced accuracy {balanced_accuracy(held_y, predicted, len(labels)):.4f}"
            if no_threat is not None:
                missed = float((predicted[held_y != no_threat] == no_threat).mean())
                false_alarms = float((predicted[held_y == no_threat] != no_threat).mean())
                line += f", threats missed {missed:.3f}, false alarms {false_alarms:.3f}"
        print(line, flush=True)

    net.eval()
    exported = WithSoftmax(net, factor)
    example = torch.zeros(1, 1, size, size)
    torch.onnx.export(
        exported,
        example,
        arguments.out,
        input_names=["attenuation"],
        output_names=["probabilities"],
        dynamic_axes={"attenuation": {0: "batch"}, "probabilities": {0: "batch"}},
        opset_version=13,
        **legacy_exporter(),
    )
    report = {"onnx": arguments.out, "labels": labels, "seconds": round(time.time() - started, 1), "torch": torch.__version__, "threads": arguments.threads, "trainSize": size // factor}
    # Beside the ONNX file: which torch trained it and how long it took, for the model manifest.
    with open(arguments.out + ".json", "w") as file:
        json.dump(report, file)
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
