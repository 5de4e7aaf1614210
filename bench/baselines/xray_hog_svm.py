#!/usr/bin/python3
"""Baseline for bench/xray.bench.ts: HOG features + linear and RBF SVMs (scikit-learn, scikit-image).

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
from skimage.feature import hog
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC


def hog_features(images):
    return np.stack(
        [hog(image, orientations=9, pixels_per_cell=(16, 16), cells_per_block=(2, 2), block_norm="L2-Hys") for image in images]
    )


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
