#!/usr/bin/python3
"""Writes src/modules/xray/adapters/fixtures/tiny-yolo.onnx, a YOLOv8-layout stand-in detector for tests.

Input `images` [1, 3, 32, 32]; output `output0` [1, 4 + 2, 3]: three fixed candidate boxes (cx, cy, w, h
in input pixels, then two class scores), independent of the image (the image enters through a product
with zero, so ONNX Runtime still has to read it). Labels: fixtures/tiny-yolo.labels.txt.
Run: /usr/bin/python3 scripts/xray/make_tiny_yolo_fixture.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper

here = os.path.dirname(os.path.abspath(__file__))
target = os.path.join(here, "..", "..", "src", "modules", "xray", "adapters", "fixtures", "tiny-yolo.onnx")

# Columns are boxes: A (gun, best), B (gun, overlaps A, suppressed by NMS), C (knife, elsewhere).
boxes = np.array(
    [
        [10.0, 11.0, 24.0],  # cx
        [10.0, 10.0, 24.0],  # cy
        [8.0, 8.0, 6.0],  # w
        [8.0, 8.0, 4.0],  # h
        [0.9, 0.8, 0.05],  # gun score
        [0.1, 0.1, 0.7],  # knife score
    ],
    dtype=np.float32,
).reshape(1, 6, 3)

graph = helper.make_graph(
    [
        helper.make_node("Flatten", ["images"], ["flat"], axis=1),
        helper.make_node("ReduceMean", ["flat"], ["mean"], axes=[1], keepdims=1),
        helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
        helper.make_node("Unsqueeze", ["nothing"], ["nothing3d"], axes=[2]),
        helper.make_node("Add", ["nothing3d", "boxes"], ["output0"]),
    ],
    "tiny_yolo",
    [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 32, 32])],
    [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 6, 3])],
    initializer=[
        helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0]),
        helper.make_tensor("boxes", TensorProto.FLOAT, [1, 6, 3], boxes.flatten().tolist()),
    ],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)], producer_name="clearway-test-fixture")
model.ir_version = 7
onnx.checker.check_model(model)
onnx.save(model, target)
with open(os.path.join(os.path.dirname(target), "tiny-yolo.labels.txt"), "w") as file:
    file.write("gun\nknife\n")
print(target)
