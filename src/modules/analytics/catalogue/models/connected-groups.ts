/**
 * Connected components of a graph given as items and the attribute keys they carry: two items are in one
 * group when a chain of shared keys links them (union-find). Returns each item's group.
 */
export function connectedGroups(items: readonly (readonly [string, readonly string[]])[]): Map<string, Set<string>> {
  const parent = new Map<string, string>();
  const find = (node: string): string => {
    let root = node;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(node, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  for (const [item, keys] of items) {
    const itemNode = `item:${item}`;
    if (!parent.has(itemNode)) parent.set(itemNode, itemNode);
    for (const key of keys) {
      const keyNode = `key:${key}`;
      if (!parent.has(keyNode)) parent.set(keyNode, keyNode);
      union(itemNode, keyNode);
    }
  }
  const byRoot = new Map<string, Set<string>>();
  for (const [item] of items) {
    const root = find(`item:${item}`);
    byRoot.set(root, (byRoot.get(root) ?? new Set()).add(item));
  }
  return new Map(items.map(([item]) => [item, byRoot.get(find(`item:${item}`))!]));
}
