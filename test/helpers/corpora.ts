// test/helpers/corpora.ts: paths of the shared public corpora (kept outside the project, see ../shared/corpora).
import { join } from 'node:path';

export const CORPORA = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');
export const corpus = (...parts: string[]): string => join(CORPORA, ...parts);
