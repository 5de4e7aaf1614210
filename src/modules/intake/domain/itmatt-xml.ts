import { SaxesParser } from 'saxes';

/**
 * Streaming reader for ITMATT-style XML documents holding many postal items:
 *
 *   <ITMATT><Item><itemId>RR123456785KR</itemId> ... <contents><line>...</line></contents></Item>...</ITMATT>
 *
 * UPU's own M33 tag names are not public, so element names are the JSON field names of a CN23 item;
 * `<contents>` holds repeated `<line>` elements. Items are yielded one by one with the line number where
 * they start, so memory stays flat however large the document is.
 */
export type XmlRecord =
  | { kind: 'record'; line: number; record: Record<string, unknown> }
  | { kind: 'malformed'; line: number; message: string };

const ARRAY_CONTAINERS: Record<string, string> = { contents: 'line' };
const ROOT = 'ITMATT';
const ITEM = 'Item';

export async function* readItmattXml(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<XmlRecord> {
  const parser = new SaxesParser({ position: true });
  const ready: XmlRecord[] = [];
  let failure: XmlRecord | undefined;
  let sawRoot = false;
  // Stack of objects under construction inside the current item; index 0 is the item itself.
  let stack: { name: string; value: Record<string, unknown> | unknown[]; text: string }[] = [];
  let itemLine = 0;
  let depth = 0;

  parser.on('opentag', (tag) => {
    depth++;
    if (depth === 1) {
      if (tag.name !== ROOT) throw new Error(`the root element must be <${ROOT}>, not <${tag.name}>`);
      sawRoot = true;
      return;
    }
    if (depth === 2) {
      if (tag.name !== ITEM) throw new Error(`<${ROOT}> may only hold <${ITEM}> elements, not <${tag.name}>`);
      itemLine = parser.line;
      stack = [{ name: ITEM, value: {}, text: '' }];
      return;
    }
    stack.push({ name: tag.name, value: tag.name in ARRAY_CONTAINERS ? [] : {}, text: '' });
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top && depth >= 3) top.text += text;
  });
  parser.on('closetag', () => {
    depth--;
    if (depth === 1) {
      ready.push({ kind: 'record', line: itemLine, record: stack[0]!.value as Record<string, unknown> });
      stack = [];
      return;
    }
    if (depth < 2) return;
    const finished = stack.pop()!;
    const parent = stack[stack.length - 1]!;
    const isLeaf = !Array.isArray(finished.value) && Object.keys(finished.value).length === 0;
    const value = isLeaf ? finished.text.trim() : finished.value;
    if (Array.isArray(parent.value)) {
      const expected = ARRAY_CONTAINERS[parent.name];
      if (finished.name !== expected)
        throw new Error(`<${parent.name}> may only hold <${expected}> elements, not <${finished.name}>`);
      parent.value.push(value);
    } else if (finished.name in parent.value) {
      throw new Error(`element <${finished.name}> appears twice in <${parent.name}>`);
    } else {
      parent.value[finished.name] = value;
    }
  });

  const feed = (text: string) => {
    try {
      parser.write(text);
    } catch (error) {
      failure = {
        kind: 'malformed',
        line: parser.line,
        message: `malformed XML: ${(error as Error).message}`,
      };
    }
  };

  for await (const chunk of chunks) {
    feed(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    yield* ready.splice(0);
    if (failure) {
      yield failure;
      return;
    }
  }
  try {
    parser.close();
  } catch (error) {
    failure = { kind: 'malformed', line: parser.line, message: `malformed XML: ${(error as Error).message}` };
  }
  yield* ready.splice(0);
  if (failure) yield failure;
  else if (!sawRoot)
    yield {
      kind: 'malformed',
      line: 1,
      message: `malformed XML: the document has no <${ROOT}> root element`,
    };
}
