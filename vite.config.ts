import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by the core from dist/renderer; relative base keeps it working under file:// too.
export default defineConfig({
  root: 'renderer',
  base: './',
  // Icons in assets/ are served beside the console (favicon, window icon).
  publicDir: '../assets',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
});
