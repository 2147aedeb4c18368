/**
 * The local OpenID provider's pages, rendered on the server: sign-in,
 * sign-out and errors. Chinese first with the English beside it, a label on
 * every field, usable at 360 px, no script and nothing fetched from elsewhere.
 */
import escapeHtml from 'escape-html';

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f3f5f8;color:#1f2329;line-height:1.5}
  main{max-width:400px;margin:40px auto;padding:24px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
  h1{font-size:1.375rem;margin:0 0 4px}
  .en{color:#4e5969;font-size:.875rem}
  label{display:block;margin:16px 0 4px;font-weight:600}
  input{width:100%;padding:10px 12px;font-size:1rem;border:1px solid #86909c;border-radius:4px}
  input:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:1px}
  button{margin-top:20px;width:100%;padding:12px;font-size:1rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
  button.secondary{background:#fff;color:#1d4ed8;border:1px solid #1d4ed8}
  .alert{margin:16px 0 0;padding:10px 12px;border-radius:4px;background:#fdecec;color:#a1161b;border:1px solid #f3b6b8}
  .hint{margin-top:20px;font-size:.875rem;color:#4e5969}
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export interface LoginPageOptions {
  /** Where the form posts. */
  readonly action: string;
  /** Who asks the person to sign in (the client's name). */
  readonly clientName: string;
  /** The username typed before, kept in the field after a refusal. */
  readonly username?: string;
  /** Why the last attempt was refused, shown above the form. */
  readonly problem?: { readonly zh: string; readonly en: string };
  /** The demo accounts' password, shown as a hint (the local stack only). */
  readonly demoHint?: string;
}

export function loginPage(options: LoginPageOptions): string {
  const { action, clientName, username, problem, demoHint } = options;
  const problemId = 'sign-in-problem';
  const described = problem === undefined ? '' : ` aria-describedby="${problemId}"`;
  const invalid = problem === undefined ? '' : ' aria-invalid="true"';
  return page(
    '登录 · Sign in',
    `<h1>登录</h1>
<p class="en" lang="en">Sign in to ${escapeHtml(clientName)}</p>
<p>登录后继续使用${escapeHtml(clientName)}。</p>
${
  problem === undefined
    ? ''
    : `<p class="alert" id="${problemId}" role="alert">${escapeHtml(problem.zh)}<br><span lang="en">${escapeHtml(problem.en)}</span></p>`
}
<form method="post" action="${escapeHtml(action)}" autocomplete="on" novalidate>
<label for="username">用户名 <span class="en" lang="en">Username</span></label>
<input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="128" value="${escapeHtml(username ?? '')}"${described}${invalid}${problem === undefined ? ' autofocus' : ''}>
<label for="password">密码 <span class="en" lang="en">Password</span></label>
<input id="password" name="password" type="password" required autocomplete="current-password" maxlength="128"${described}${invalid}${problem === undefined ? '' : ' autofocus'}>
<button type="submit">登录 <span lang="en">Sign in</span></button>
</form>
${demoHint === undefined ? '' : `<p class="hint">${escapeHtml(demoHint)}</p>`}`,
  );
}

/** Asks before signing out (RP-initiated logout), so no other site can sign a person out. */
export function logoutPage(form: string, clientName: string | undefined): string {
  return page(
    '退出登录 · Sign out',
    `<h1>退出登录</h1>
<p class="en" lang="en">Sign out${clientName === undefined ? '' : ` of ${escapeHtml(clientName)}`}?</p>
<p>确定要退出${clientName === undefined ? '' : escapeHtml(clientName)}吗？</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>退出登录 <span lang="en">Sign out</span></button>
<button type="submit" form="op.logoutForm" class="secondary">保持登录 <span lang="en">Stay signed in</span></button>`,
  );
}

export function loggedOutPage(): string {
  return page(
    '已退出 · Signed out',
    `<h1>已退出登录</h1>
<p class="en" lang="en">You have signed out.</p>`,
  );
}

/** An error's page: what went wrong in words a person understands, and the protocol's code. */
export function errorPage(code: string, description: string | undefined): string {
  return page(
    '无法登录 · Sign-in failed',
    `<h1>无法完成登录</h1>
<p class="en" lang="en">Sign-in could not be completed.</p>
<p class="alert" role="alert">请返回网站重新登录。<br><span lang="en">Please go back to the site and sign in again.</span></p>
<p class="hint"><span lang="en">${escapeHtml(code)}${description === undefined ? '' : `: ${escapeHtml(description)}`}</span></p>`,
  );
}
