import { PassThrough } from 'node:stream';

/** A log destination for startApp that keeps every line the app writes, whole lines only. */
export function captureLogLines(): { destination: PassThrough; lines: string[] } {
  const destination = new PassThrough();
  const lines: string[] = [];
  let buffer = '';
  destination.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  return { destination, lines };
}
