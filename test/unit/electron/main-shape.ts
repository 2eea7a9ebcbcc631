// The shape of electron/main.ts as the test uses it, declared without importing Electron's types
// (the root type-check has none; electron/tsconfig.json checks main.ts itself).
export declare const APP_ORIGIN: string;
export declare const CONTENT_SECURITY_POLICY: string;
export declare function windowOptions(preloadPath: string): { width?: number; height?: number; webPreferences?: Record<string, unknown> };
export declare function createMainWindow(preloadPath: string): unknown;
export declare function lockDownSession(s: unknown): void;
export declare function registerIpc(backend: { callUnknown(op: string, input: unknown, meta: { actor: string }): Promise<unknown> }, actor: string): void;
