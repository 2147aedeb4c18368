import { maybeSignedIn, signIn } from './auth/session.js';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';

/** Each page is its own chunk: a phone downloads only the page it opens (web/README.md's budget). */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'whats-on', component: () => import('./pages/WhatsOn.vue') },
  {
    path: '/activities/:id',
    name: 'activity',
    component: () => import('./pages/ActivityDetail.vue'),
    props: true,
  },
  {
    path: '/classes/:id',
    name: 'class',
    component: () => import('./pages/ClassDetail.vue'),
    props: true,
  },
  { path: '/lectures', name: 'programme', component: () => import('./pages/ProgrammePage.vue') },
  {
    path: '/lectures/:id',
    name: 'session',
    component: () => import('./pages/SessionDetail.vue'),
    props: true,
  },
  { path: '/campaigns', name: 'campaigns', component: () => import('./pages/CampaignsPage.vue') },
  { path: '/honours', name: 'honours', component: () => import('./pages/HonoursPage.vue') },
  {
    path: '/cases/:id',
    name: 'case',
    component: () => import('./pages/CaseDetail.vue'),
    props: true,
  },
  {
    path: '/auth/callback',
    name: 'auth-callback',
    component: () => import('./pages/AuthCallback.vue'),
  },
  {
    path: '/me/schedule',
    name: 'my-schedule',
    component: () => import('./pages/MySchedule.vue'),
    meta: { signedIn: true },
  },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFound.vue') },
];

export function createPortalRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  // A page for the signed-in sends a visitor to the provider first, and back here after.
  router.beforeEach(async (to) => {
    if (to.meta['signedIn'] !== true || maybeSignedIn()) return true;
    try {
      await signIn(to.fullPath);
      return false;
    } catch {
      // The provider did not answer: the callback page says sign-in did not finish.
      return { name: 'auth-callback', query: { error: 'provider_unavailable' } };
    }
  });
  // A new page starts at its top; a new filter on the same page keeps the reader where they are.
  router.afterEach((to, from) => {
    if (to.path !== from.path) window.scrollTo({ top: 0 });
  });
  return router;
}
