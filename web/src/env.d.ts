/// <reference types="vite/client" />

// For tools that read the .ts files without Vue's compiler (typed ESLint); vue-tsc resolves the real files first.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
