/**
 * The input and its three quarter-turn and mirror siblings, packed one after another. Objects lie in any
 * pose in a bag, so averaging the model over these poses removes pose bias at four times the cost.
 */
export function dihedralVariants(input: Float32Array, size: number): Float32Array {
  const pixels = size * size;
  const result = new Float32Array(pixels * 4);
  result.set(input, 0);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const value = input[y * size + x];
      result[pixels + x * size + (size - 1 - y)] = value; // quarter turn
      result[2 * pixels + (size - 1 - y) * size + (size - 1 - x)] = value; // half turn
      result[3 * pixels + y * size + (size - 1 - x)] = value; // mirror
    }
  }
  return result;
}

/** Mean of consecutive groups of `group` probability rows (`classes` wide). */
export function averageGroups(probabilities: Float32Array, classes: number, group: number): Float32Array {
  const rows = probabilities.length / classes / group;
  const result = new Float32Array(rows * classes);
  for (let row = 0; row < rows; row++) {
    for (let member = 0; member < group; member++) {
      for (let label = 0; label < classes; label++) {
        result[row * classes + label] += probabilities[(row * group + member) * classes + label] / group;
      }
    }
  }
  return result;
}
