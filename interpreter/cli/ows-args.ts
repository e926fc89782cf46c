import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isOwsText, readOpenApiDocuments } from '../ows/node';

/**
 * A Serverless Workflow document's `call: openapi` tasks need their OpenAPI documents, which are
 * read over the network before the (synchronous) conversion on load.
 */
export async function readOpenApiFor(file: string): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // loading the flow reports the unreadable file
  }
  if (isOwsText(text)) await readOpenApiDocuments(text, dirname(resolve(file)));
}
