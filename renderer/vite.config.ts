// Builds the staff console (renderer/src) into renderer/dist. `base: './'` so the same build loads
// from file:// in Electron and from the web-mode server. No dev-time secrets: the session token
// arrives at run time (URL fragment in web mode, the preload bridge in Electron).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// import.meta.dirname (Node >= 20.11): this folder, without importing Node modules here.
const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  logLevel: 'warn',
});
