import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';
import { entryBudget } from './build/entry-budget.js';

/** The gateway of the local stack (infra/local/src/gateway.ts): the dev server sends /api and /oidc there. */
const gateway = process.env['PORTAL_GATEWAY'] ?? 'http://127.0.0.1:8100';
/** The initial JavaScript a phone downloads before the first page shows (web/README.md). */
export const ENTRY_BUDGET_GZIP_BYTES = 120 * 1024;

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: only the components a page uses reach its chunk.
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver()], dts: false }),
    entryBudget(ENTRY_BUDGET_GZIP_BYTES),
  ],
  // The shared vocabulary (tiers, categories) comes from @learning/domain's TypeScript source.
  resolve: { conditions: ['@learning/source', 'module', 'browser', 'development|production'] },
  server: {
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
      '/oidc': { target: gateway, changeOrigin: false },
    },
  },
  build: { sourcemap: true },
});
