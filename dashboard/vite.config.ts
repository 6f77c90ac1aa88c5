import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard is a static build served by the web process at /dashboard (src/http/dashboard.ts).
 * `npm run build:dashboard` writes dashboard/dist. In development, `vite --config
 * dashboard/vite.config.ts` proxies /api to the web process on PORT (default 3000).
 */
export default defineConfig({
  root,
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  },
});
