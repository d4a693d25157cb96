/**
 * OpenFn's packages as the tests use them. Their bundled type declarations do not resolve under
 * NodeNext (extensionless relative imports), so the operations used here get local types.
 */
import * as common from '@openfn/language-common';
import * as httpAdaptor from '@openfn/language-http';
import type { OpenFnExecute, OpenFnOperation, OpenFnState } from '../../src/openfn/index.js';

type Fn = (f: (state: OpenFnState) => OpenFnState | Promise<OpenFnState>) => OpenFnOperation;
type Request = (path: string, options?: Record<string, unknown>) => OpenFnOperation;
type Write = (path: string, body: unknown, options?: Record<string, unknown>) => OpenFnOperation;

const c = common as unknown as { execute: OpenFnExecute; fn: Fn };
const h = httpAdaptor as unknown as { execute: OpenFnExecute; get: Request; post: Write };

export const { execute, fn } = c;
export const http = { execute: h.execute, get: h.get, post: h.post };
