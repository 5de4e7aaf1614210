#!/usr/bin/python3
"""Baseline for bench/xray.bench.ts: HOG features + linear and RBF SVMs (Debian's python3-sklearn).

Reads the same prepared crops as the Clearway model (<dataset>/inputs.f32 + dataset.json, written by the
bench) and <dataset>/splits.json ({split name: side of every crop, "train" / "test" / "gap", or "both" to train and
test on the crop, the whole-folder figure). For every
split it trains on the crops marked train and prints, as one JSON object, the predicted label of every
test crop for each SVM, and the time per crop (HOG + SVM).
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC


def hog(image, orientations=9, cell=16, block=2):
    """Dalal-Triggs HOG as scikit-image computes it (unsigned gradients, orientation histograms of
    `cell` px cells weighted by magnitude, overlapping `block` x `block` blocks normalised L2-Hys),
    written with numpy so the baseline needs python3-sklearn alone."""
    gy, gx = np.zeros_like(image), np.zeros_like(image)
    gy[1:-1, :] = image[2:, :] - image[:-2, :]
    gx[:, 1:-1] = image[:, 2:] - image[:, :-2]
    magnitude = np.hypot(gx, gy)
    angle = np.rad2deg(np.arctan2(gy, gx)) % 180
    bins = np.minimum((angle / (180 / orientations)).astype(int), orientations - 1)
    rows, columns = image.shape[0] // cell, image.shape[1] // cell
    histograms = np.zeros((rows, columns, orientations))
    cell_of = (np.arange(rows * cell)[:, None] // cell) * columns + np.arange(columns * cell)[None, :] // cell
    np.add.at(
        histograms.reshape(-1, orientations),
        (cell_of.ravel(), bins[: rows * cell, : columns * cell].ravel()),
        magnitude[: rows * cell, : columns * cell].ravel() / (cell * cell),
    )
    blocks = []
    for row in range(rows - block + 1):
        for column in range(columns - block + 1):
            vector = histograms[row : row + block, column : column + block].ravel()
            vector = vector / np.sqrt(np.sum(vector**2) + 1e-10)
            vector = np.minimum(vector, 0.2)
            blocks.append(vector / np.sqrt(np.sum(vector**2) + 1e-10))
    return np.concatenate(blocks)


def hog_features(images):
    return np.stack([hog(image) for image in images])


def main(dataset):
    with open(os.path.join(dataset, "dataset.json")) as file:
        meta = json.load(file)
    with open(os.path.join(dataset, "splits.json")) as file:
        splits = json.load(file)
    size = meta["size"]
    samples = meta["samples"]
    images = np.fromfile(os.path.join(dataset, "inputs.f32"), dtype="<f4").reshape(len(samples), size, size)
    labels = np.array([sample["label"] for sample in samples])
    started = time.time()
    features = hog_features(images)
    hog_seconds = (time.time() - started) / len(images)
    result = {}
    for split, sides in splits.items():
        sides = np.array(sides)
        train, test = (sides == "train") | (sides == "both"), (sides == "test") | (sides == "both")
        scaler = StandardScaler().fit(features[train])
        train_x, test_x = scaler.transform(features[train]), scaler.transform(features[test])
        result[split] = {"test_indices": np.flatnonzero(test).tolist()}
        for name, model in [
            ("hog_linear_svm", LinearSVC(C=0.01, class_weight="balanced", max_iter=20000, random_state=0)),
            ("hog_rbf_svm", SVC(C=10, gamma="scale", class_weight="balanced", random_state=0)),
        ]:
            model.fit(train_x, labels[train])
            started = time.time()
            predicted = model.predict(test_x)
            result[split][name] = {
                "predicted": predicted.tolist(),
                "ms_per_crop": round(1000 * (hog_seconds + (time.time() - started) / max(1, len(test_x))), 3),
            }
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
