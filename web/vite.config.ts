import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Run as `vite build web`: the root is this folder and the console lands in web/dist, which the
// server's web-console plugin serves at `/`. In development `vite web` proxies the API to a local server.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // The charts are only needed on the dashboard and models pages; keep them out of the first load.
        manualChunks: (id) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'charts' : undefined),
      },
    },
  },
  server: { proxy: { '/api': process.env.CLEARWAY_API ?? 'http://127.0.0.1:3000', '/health': process.env.CLEARWAY_API ?? 'http://127.0.0.1:3000' } },
});
