// The preload bridge: exposes exactly one object, window.privacyDesk, with one method. The page
// never sees ipcRenderer; the main process validates every call with zod (electron/ipc-handler.ts).
// Runs sandboxed (no Node), bundled to CommonJS by scripts/build-electron.mjs.
import { contextBridge, ipcRenderer } from 'electron';

const IPC_CHANNEL = 'privacy-desk:call';

export const privacyDeskBridge = Object.freeze({
  call(op: string, input: unknown): Promise<unknown> {
    if (typeof op !== 'string') return Promise.reject(new TypeError('op must be a string'));
    return ipcRenderer.invoke(IPC_CHANNEL, { op, input: input ?? {} });
  },
});

contextBridge.exposeInMainWorld('privacyDesk', privacyDeskBridge);
