/**
 * The part of @php-wasm/node and @php-wasm/universal (3.1.54) that test/helpers/php.ts uses, with its
 * types. The packages' own declarations re-export folders without file extensions (`export * from
 * './lib'`), which TypeScript's NodeNext resolution does not follow, so they export nothing to `tsc`;
 * the signatures below are those of the packages' .d.ts files (node_modules/@php-wasm/universal/lib/).
 */
import * as phpWasmNode from '@php-wasm/node';
import * as phpWasmUniversal from '@php-wasm/universal';

export type HTTPMethod = 'GET' | 'POST' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'PUT' | 'DELETE';

/** What a CLI run streams; each part resolves once PHP has exited. */
export interface StreamedPHPResponse {
  stdoutText: Promise<string>;
  stderrText: Promise<string>;
  exitCode: Promise<number>;
}

export interface PHPResponse {
  httpStatusCode: number;
  headers: Record<string, string[]>;
  bytes: Uint8Array;
}

export interface PHP {
  mkdirTree(path: string): void;
  writeFile(path: string, data: string | Uint8Array): void;
  /** Runs PHP's CLI with `argv`; the instance is spent afterwards. */
  cli(argv: string[]): Promise<StreamedPHPResponse>;
  /** Ends the PHP process and frees what keeps Node's event loop alive. */
  exit(): void;
}

export interface PHPRequestHandler {
  request(request: {
    method: HTTPMethod;
    url: string;
    headers: Record<string, string>;
    body: Uint8Array;
  }): Promise<PHPResponse>;
}

interface PhpWasmNode {
  loadNodeRuntime(
    version: '8.3',
    options: {
      emscriptenOptions: { processId: number; ENV: Record<string, string>; stdin: () => number | null };
    },
  ): Promise<number>;
}

interface PhpWasmUniversal {
  PHP: new (runtimeId: number) => PHP;
  PHPRequestHandler: new (config: {
    php: PHP;
    documentRoot: string;
    absoluteUrl: string;
    cookieStore: false;
    getFileNotFoundAction: (path: string) => { type: 'internal-redirect'; uri: string };
  }) => PHPRequestHandler;
  setPhpIniEntries(php: PHP, entries: Record<string, string>): Promise<void>;
}

export const { loadNodeRuntime } = phpWasmNode as unknown as PhpWasmNode;
export const { PHP, PHPRequestHandler, setPhpIniEntries } = phpWasmUniversal as unknown as PhpWasmUniversal;
