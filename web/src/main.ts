import { createApp } from 'vue';
import App from './App.vue';
import { setAccessTokenSource } from './api/http.js';
import { accessToken } from './auth/session.js';
import { i18n } from './i18n/index.js';
import { createPortalRouter } from './router.js';
import './styles.css';

setAccessTokenSource(accessToken);
document.documentElement.lang = i18n.global.locale.value;
createApp(App).use(i18n).use(createPortalRouter()).mount('#app');
