import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The designer is a static app: `weft serve` hosts designer/dist and answers /api. For local
// work, `vite --config designer/vite.config.ts` proxies /api to a running `weft serve`.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  server: {
    proxy: { '/api': process.env.WEFT_API ?? 'http://127.0.0.1:8233' },
  },
});
