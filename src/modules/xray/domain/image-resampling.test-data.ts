/** A hundred images from each of two series, numbered like GDXray. */
export const dataSplitFixture = ['B0049', 'B0050'].flatMap((series) =>
  Array.from({ length: 100 }, (_, index) => ({ series, number: index + 1 })),
);
